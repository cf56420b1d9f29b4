OPENQASM 2.0;
qreg q[2];
h q[2];
cx q[0],q[0];
rx(nan) q[1];
foo q[0]
