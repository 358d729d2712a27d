#!/usr/bin/env python3
"""Holds GPU memory through the CUDA driver API (libcuda, no toolkit needed) like a model server holding its
weights: allocates MIB MiB, serves HTTP 200 on PORT, and on SIGTERM waits LINGER seconds before exiting (a model
server releasing its memory slowly). Usage: gpu_hold.py PORT MIB LINGER"""
import ctypes, http.server, os, signal, subprocess, sys, threading, time

port, mib, linger = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
holders = subprocess.run(["nvidia-smi", "--query-compute-apps=pid", "--format=csv,noheader"],
                         capture_output=True, text=True).stdout.split()
print(f"pid {os.getpid()}; GPU memory held at start by: [{' '.join(holders)}]", flush=True)
if os.environ.get("GPU_HOLD_DRY_RUN") == "1":   # to try the script on a machine without a GPU
    class _NoCuda:
        def __getattr__(self, name):
            return lambda *a: 0
    cuda = _NoCuda()
else:
    cuda = ctypes.CDLL("libcuda.so.1")
def check(rc, what):
    if rc != 0:
        print(f"{what} failed: {rc}", flush=True); sys.exit(3)
check(cuda.cuInit(0), "cuInit")
dev = ctypes.c_int(); check(cuda.cuDeviceGet(ctypes.byref(dev), 0), "cuDeviceGet")
ctx = ctypes.c_void_p(); check(cuda.cuCtxCreate_v2(ctypes.byref(ctx), 0, dev), "cuCtxCreate")
ptr = ctypes.c_uint64(); check(cuda.cuMemAlloc_v2(ctypes.byref(ptr), ctypes.c_size_t(mib << 20)), "cuMemAlloc")
print(f"holding {mib} MiB of GPU memory", flush=True)

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
        self.wfile.write(b'{"model_loaded": true}')
    def log_message(self, *a):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
server.serve_forever()
server.server_close()                # the port is free at once...
time.sleep(linger)                   # ...the GPU memory only after LINGER seconds
print("releasing GPU memory", flush=True)
