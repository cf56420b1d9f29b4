OPENQASM 2.0;
include "qelib1.inc";
// qtt-global-phase 0.25
qreg q[3];
rx(0.5) q[0];
ry(pi/4) q[1];
rz(-1.25e-1) q[2];
u1(0.3) q[0];
u3(0.1, 0.2, 0.3) q[1];
cu1(pi/8) q[0],q[2];
ccx q[0],q[1],q[2];
swap q[0],q[2];
s q[1];
sdg q[1];
t q[2];
tdg q[2];
