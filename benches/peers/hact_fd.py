#!/usr/bin/env python
"""The economists' finite-difference peer: Achdou-Han-Lasry-Lions-Moll (HACT)
implicit upwind scheme for the Huggett and Aiyagari models, in numpy/scipy.

Independent of the Rust solvers; written from the method as published (implicit
upwind HJB, state constraints at both ends, KFE as the transpose of the
generator, bracketing root in r); no code copied from the published MATLAB.

Scheme (the same as the Rust side, so the numbers can be compared to ~1e-10):
  grid    N = 2^L points a_i = amin + i da, da = (amax - amin)/(N - 1)
  diffs   dVf_i = (V_{i+1} - V_i)/da, dVf_{N-1} = u'(w z + r amax);
          dVb_i = (V_i - V_{i-1})/da, dVb_0 = u'(w z + r amin)
  upwind  cf = dVf^(-1/gamma), sf = w z + r a - cf (cb, sb likewise);
          If = sf > 0, Ib = (sb < 0) and not If, I0 = 1 - If - Ib;
          dV = If dVf + Ib dVb + I0 u'(w z + r a); c = dV^(-1/gamma);
          dVf, dVb floored at 1e-10 first (only ever active in transient iterates)
  A       X_i = -min(sb_i, 0)/da on V_{i-1}, Z_i = max(sf_i, 0)/da on V_{i+1},
          X_i dropped where If wins over Ib (non-concave points; --literal-x keeps
          it, as the published codes do: both agree wherever V is concave),
          Y_i = -X_i - Z_i on the diagonal, plus Lambda (x) I_N; X_0 = Z_{N-1} = 0
          (state constraints: no flow off the grid), so rows sum to exactly 0.
          At the end points sf_{N-1} = sb_0 = 0 is set exactly (the formula
          gives it only up to an ulp, and +1e-16 flips If at the top).
          Layout: wealth fastest within each income block, k = j N + i.
  HJB     ((rho + 1/Delta) I - A(V^n)) V^{n+1} = u(c^n) + V^n/Delta, Delta = 1000,
          V^0 = u(w z + r a)/rho if r > 0 and w z + r a > 0 on the whole grid,
          else u(w z + max(r, 0.01) a)/rho (the economists' guard: at r <= 0
          the plain guess is flat or has c <= 0; only the first r is cold),
          stop when max|V^{n+1} - V^n|/Delta < 1e-12, at most 200 iterations.
  KFE     A = A(V) at the converged V; A^T g = 0 with the row of entry 0 (a = amin, lowest income) replaced
          by a unit row and right-hand side 0.1, then g /= sum g da.
  root    S(r) = sum a g da (Huggett, w = 1) or sum a g da - K_d(r) (Aiyagari,
          K_d = (alpha A/(r + delta))^(1/(1-alpha)), w = (1-alpha) A K_d^alpha: labour 1),
          scipy.optimize.brentq(xtol=1e-13), V warm-started across r.

Usage: $PEERS_VENV/bin/python benches/peers/hact_fd.py --model huggett --bits 8 10 12
       ... --r 0.03            (partial equilibrium at that r: prints S(r))
       ... --dump out.npz      (a, z, V, c, s, g at the final r; out.L<bits>.npz if several L)
       ... --check             (generator / density sanity checks)
One JSON object per line on stdout.
"""
import argparse
import json
import os
import sys
import time

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_k] = "1"

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import scipy.sparse.linalg as spla  # noqa: E402
from scipy.optimize import brentq  # noqa: E402

DELTA = 1000.0
HJB_TOL = 1e-12
HJB_MAXIT = 200
XTOL = 1e-13
DV_FLOOR = 1e-10  # see Model.policy (the value of Moll's HJB_stateconstraint_implicit.m)

MODELS = {
    # lam[j] = intensity of leaving state j (two states: the rate into the other one)
    "huggett": dict(gamma=2.0, rho=0.05, z=(0.1, 0.2), lam=(1.2, 1.2), amin=-0.15, amax=5.0,
                    bracket=(0.0, 0.049)),
    "aiyagari": dict(gamma=2.0, rho=0.05, z=(1.0, 2.0), lam=(1.0 / 3.0, 1.0 / 3.0), amin=0.0,
                     amax=20.0, delta=0.05, alpha=1.0 / 3.0, A=0.1, bracket=(-0.04, 0.049)),
}


class HJBNotConverged(RuntimeError):
    pass


class Model:
    def __init__(self, name, bits, literal_x=False):
        p = MODELS[name]
        self.name = name
        self.p = p
        self.gamma, self.rho = p["gamma"], p["rho"]
        self.N = 2**bits
        self.J = len(p["z"])
        self.a = p["amin"] + np.arange(self.N) * ((p["amax"] - p["amin"]) / (self.N - 1))
        self.da = (p["amax"] - p["amin"]) / (self.N - 1)
        self.z = np.asarray(p["z"], dtype=float)
        self.lam = np.asarray(p["lam"], dtype=float)
        assert self.J == 2, "two income states (Poisson switching)"
        self.V = None  # warm start across r
        self.floor_hits_total = 0  # over all HJB iterations of this run
        self.literal_x = literal_x
        self.last = None

    # ---- prices -------------------------------------------------------------
    def kd(self, r):
        p = self.p
        return (p["alpha"] * p["A"] / (r + p["delta"])) ** (1.0 / (1.0 - p["alpha"]))

    def wage(self, r):
        if self.name == "huggett":
            return 1.0
        p = self.p
        return (1.0 - p["alpha"]) * p["A"] * self.kd(r) ** p["alpha"]

    # ---- utility ------------------------------------------------------------
    def u(self, c):
        g = self.gamma
        return np.log(c) if g == 1.0 else c ** (1.0 - g) / (1.0 - g)

    def up(self, c):  # u'
        return c ** (-self.gamma)

    def upinv(self, dv):  # (u')^{-1}
        return dv ** (-1.0 / self.gamma)

    # ---- generator ----------------------------------------------------------
    def policy(self, V, r, w):
        """V has shape (J, N). Returns c, s (drift), X, Y, Z (each (J, N)) and
        the numbers of points where sf > 0 and sb < 0 both held and where the
        dV floor was applied."""
        da = self.da
        inc = w * self.z[:, None] + r * self.a[None, :]  # w z + r a
        dVf = np.empty_like(V)
        dVb = np.empty_like(V)
        dVf[:, :-1] = (V[:, 1:] - V[:, :-1]) / da
        dVf[:, -1] = self.up(inc[:, -1])
        dVb[:, 1:] = (V[:, 1:] - V[:, :-1]) / da
        dVb[:, 0] = self.up(inc[:, 0])
        # Guard (as in some of the published codes): a transient iterate can be
        # non-monotone (cold start at r <= 0, warm start from a distant r, seen
        # from L = 12 on), and dV <= 0 has no (u')^{-1}. Flooring dV at DV_FLOOR
        # keeps A an M-matrix for that step; the converged V is increasing, so
        # the floor is never active at the fixed point (checked: floor_hits).
        floor_hits = int(np.count_nonzero(dVf < DV_FLOOR) + np.count_nonzero(dVb < DV_FLOOR))
        dVf = np.maximum(dVf, DV_FLOOR)
        dVb = np.maximum(dVb, DV_FLOOR)
        with np.errstate(invalid="ignore", divide="ignore"):
            cf = self.upinv(dVf)
            cb = self.upinv(dVb)
            sf = inc - cf
            sb = inc - cb
        # At the end points the formulas give cf = (u')^{-1}(u'(inc)), which is inc
        # only up to an ulp; a rounded sf_{N-1} = +1e-16 would select the forward
        # branch (If has priority) and pin the top point to c = inc even where
        # sb < 0 (seen: Aiyagari, L = 12, a non-monotone fixed point). Use the
        # exact values of the scheme instead: no drift across the constraints.
        sf[:, -1] = 0.0
        sb[:, 0] = 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            If = sf > 0
            Ib = (sb < 0) & ~If
            both = int(np.count_nonzero((sb < 0) & If))
            I0 = ~If & ~Ib
            dV0 = self.up(inc)
            dVup = np.where(If, dVf, np.where(Ib, dVb, dV0))
            c = self.upinv(dVup)
            X = -np.minimum(sb, 0.0) / da
            Z = np.maximum(sf, 0.0) / da
        if not self.literal_x:
            # Consistent with c: where sf > 0 and sb < 0 both hold (If wins), the
            # backward rate is dropped too. Identical to the unmasked X wherever
            # V is concave; the unmasked X admits a spurious non-concave fixed
            # point (Huggett, L = 12, warm start: V off by 0.19 at amin).
            X = np.where(Ib, X, 0.0)
        X[:, 0] = 0.0
        Z[:, -1] = 0.0
        Y = -X - Z
        if not (np.all(np.isfinite(c)) and np.all(c > 0) and np.all(np.isfinite(X)) and np.all(np.isfinite(Z))):
            raise FloatingPointError(f"non-finite/negative consumption at r={r!r} (dV <= 0 somewhere?)")
        s = inc - c
        return c, s, X, Y, Z, both, floor_hits

    def generator(self, X, Y, Z, transpose=False):
        N, J = self.N, self.J
        x, y, zz = X.ravel(), Y.ravel(), Z.ravel()
        diag = y - np.repeat(self.lam, N)
        sub = x[1:]  # (k, k-1) = X_k
        sup = zz[:-1]  # (k, k+1) = Z_k
        up_n = np.full(N, self.lam[0])  # (k, k+N), k in block 0
        lo_n = np.full(N, self.lam[1])  # (k+N, k), k in block 0
        if transpose:
            sub, sup = sup, sub
            up_n, lo_n = lo_n, up_n
        return sp.diags([lo_n, sub, diag, sup, up_n], [-N, -1, 0, 1, N], shape=(N * J, N * J), format="csc")

    # ---- HJB ----------------------------------------------------------------
    def initial_guess(self, r, w):
        inc = w * self.z[:, None] + r * self.a[None, :]
        if r > 0 and np.all(inc > 0):
            return self.u(inc) / self.rho
        return self.u(w * self.z[:, None] + max(r, 0.01) * self.a[None, :]) / self.rho

    def solve_hjb(self, r, w, V0):
        V = V0.copy()
        hist = []
        self.floor_hits_transient = 0
        I = sp.identity(self.N * self.J, format="csc")
        for n in range(1, HJB_MAXIT + 1):
            c, s, X, Y, Z, both, hits = self.policy(V, r, w)
            self.floor_hits_transient += hits
            self.floor_hits_total += hits
            A = self.generator(X, Y, Z)
            B = ((self.rho + 1.0 / DELTA) * I - A).tocsc()
            rhs = (self.u(c) + V / DELTA).ravel()
            Vn = spla.splu(B).solve(rhs).reshape(V.shape)
            dist = float(np.max(np.abs(Vn - V))) / DELTA
            hist.append(dist)
            V = Vn
            if dist < HJB_TOL:
                return V, n, hist
        raise HJBNotConverged(f"HJB not converged at r={r!r} after {HJB_MAXIT} iterations; "
                              f"max|dV|/Delta history: {hist}")

    # ---- KFE ----------------------------------------------------------------
    def solve_kfe(self, X, Y, Z):
        AT = self.generator(X, Y, Z, transpose=True)
        A_T_orig = AT.copy()
        # replace row 0 by e_0 (the economists' "i_fix = 1", b(i_fix) = .1)
        AT = AT.tocsr()
        lo, hi = AT.indptr[0], AT.indptr[1]
        AT.data[lo:hi] = np.where(AT.indices[lo:hi] == 0, 1.0, 0.0)
        AT.eliminate_zeros()
        b = np.zeros(self.N * self.J)
        b[0] = 0.1
        g = spla.splu(AT.tocsc()).solve(b)
        g /= g.sum() * self.da
        res = float(np.max(np.abs(A_T_orig @ g)))
        return g.reshape(self.J, self.N), res

    # ---- one price ----------------------------------------------------------
    def solve_at(self, r):
        w = self.wage(r)
        V0 = self.V if self.V is not None else self.initial_guess(r, w)
        V, its, hist = self.solve_hjb(r, w, V0)
        self.V = V
        c, s, X, Y, Z, both, hits = self.policy(V, r, w)
        if hits:
            raise FloatingPointError(f"dV floor active at the converged V (r={r!r}, {hits} points)")
        g, kfe_res = self.solve_kfe(X, Y, Z)
        assets = float(np.sum(self.a[None, :] * g) * self.da)
        S = assets if self.name == "huggett" else assets - self.kd(r)
        self.last = dict(r=r, w=w, V=V, c=c, s=s, g=g, X=X, Y=Y, Z=Z, its=its, hist=hist,
                         both=both, kfe_res=kfe_res, S=S, assets=assets,
                         floor_hits_transient=self.floor_hits_transient)
        return S, its

    def equilibrium(self, bracket):
        cache = {}
        its_total = [0]

        def f(r):
            S, its = self.solve_at(r)
            its_total[0] += its
            cache[r] = (S, its, self.last)
            return S

        r_star, info = brentq(f, bracket[0], bracket[1], xtol=XTOL, full_output=True)
        if r_star not in cache:
            f(r_star)
        S, _, last = cache[r_star]
        self.last = last
        return r_star, S, info.function_calls, its_total[0]


def check(m, r):
    """Sanity checks of the generator and of g at price r."""
    S, its = m.solve_at(r)
    L = m.last
    A = m.generator(L["X"], L["Y"], L["Z"]).tocoo()
    rows = np.asarray(A.sum(axis=1)).ravel()
    off = A.data[A.row != A.col]
    g = L["g"]
    B = m.generator(L["X"], L["Y"], L["Z"])
    hjb_res = float(np.max(np.abs(m.rho * L["V"].ravel() - m.u(L["c"]).ravel() - B @ L["V"].ravel())))
    out = {
        "check": "econ_peer", "model": m.name, "bits": int(np.log2(m.N)), "r": r, "S": S,
        "hjb_iterations": its,
        "max_abs_row_sum": float(np.max(np.abs(rows))),
        "min_offdiag": float(off.min()),
        "mass": float(g.sum() * m.da),
        "min_g": float(g.min()),
        "max_abs_ATg": L["kfe_res"],
        "hjb_residual_max": hjb_res,
        "nonconcave_points": L["both"],
        "dv_floor_active_at_solution": 0,  # solve_at raises otherwise
        "drift_at_amin": [float(x) for x in L["s"][:, 0]],
        "drift_at_amax": [float(x) for x in L["s"][:, -1]],
    }
    # the same price from the cold guess: the fixed point must not depend on the path
    cold = Model(m.name, int(np.log2(m.N)), literal_x=m.literal_x)
    S_cold, its_cold = cold.solve_at(r)
    out["cold_restart"] = {"hjb_iterations": its_cold, "S": S_cold,
                           "max_abs_dV": float(np.max(np.abs(cold.last["V"] - L["V"]))),
                           "max_abs_dg": float(np.max(np.abs(cold.last["g"] - g)))}
    ok = (out["nonconcave_points"] == 0 and out["cold_restart"]["max_abs_dV"] < 1e-8
          and out["max_abs_row_sum"] < 1e-10 * max(1.0, float(np.max(np.abs(A.data))))
          and out["min_offdiag"] >= 0 and abs(out["mass"] - 1) < 1e-12 and out["min_g"] >= 0)
    out["ok"] = bool(ok)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=sorted(MODELS), required=True)
    ap.add_argument("--bits", type=int, nargs="+", default=[8])
    ap.add_argument("--r", type=float, default=None, help="fixed price: partial equilibrium, print S(r)")
    ap.add_argument("--bracket", type=float, nargs=2, default=None)
    ap.add_argument("--dump", default=None,
                    help="write a, z, V, c, s, g at the final r (.npz); with several L, FILE.L<bits>.npz each")
    ap.add_argument("--check", action="store_true", help="generator and density sanity checks (at --r, else r*)")
    ap.add_argument("--literal-x", action="store_true",
                    help="X_i = -min(sb_i, 0)/da even where If wins (the published codes); default: X only where Ib")
    ap.add_argument("--json", action="store_true", help="JSON lines (the default and only format)")
    args = ap.parse_args()
    status = 0
    for L in args.bits:
        m = Model(args.model, L, literal_x=args.literal_x)
        params = {"model": args.model, "bits": L, "points": m.N}
        if args.literal_x:
            params["literal_x"] = True
        t0 = time.perf_counter()
        c0 = time.process_time()
        if args.r is not None:
            S, its = m.solve_at(args.r)
            rec = {"bench": "econ_peer", "params": dict(params, mode="partial"), "r": args.r, "S": S,
                   "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
                   "hjb_iterations": its, "threads": 1}
        else:
            bracket = tuple(args.bracket) if args.bracket else MODELS[args.model]["bracket"]
            r_star, S, calls, its = m.equilibrium(bracket)
            rec = {"bench": "econ_peer", "params": params, "r_star": r_star, "excess_at_root": S,
                   "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
                   "hjb_iterations": its, "hjb_iterations_at_root": m.last["its"],
                   "price_evaluations": calls, "bracket": list(bracket), "threads": 1}
        last = m.last
        rec.update({"w": last["w"], "assets": last["assets"], "kfe_residual": last["kfe_res"],
                    "nonconcave_points": last["both"], "dv_floor_hits": m.floor_hits_total,
                    "loadavg1": os.getloadavg()[0],
                    "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                                 "scipy": scipy.__version__}})
        print(json.dumps(rec), flush=True)
        if args.check:
            out = check(m, last["r"])
            print(json.dumps(out), flush=True)
            status |= 0 if out["ok"] else 1
        if args.dump:
            path = args.dump
            if len(args.bits) > 1:  # one file per L: out.npz -> out.L12.npz
                root, ext = os.path.splitext(path)
                path = f"{root}.L{L}{ext or '.npz'}"
            np.savez(path, model=args.model, bits=L, r=last["r"], w=last["w"], a=m.a, z=m.z,
                     V=last["V"], c=last["c"], s=last["s"], g=last["g"], hjb_hist=np.asarray(last["hist"]))
    return status


if __name__ == "__main__":
    sys.exit(main())
