import subprocess
import sys


def test_pinned_mmap_threshold_keeps_rss_flat_over_varying_batches():
    """In a fresh process: 60 transformer-sized allocations of varying size, freed each time."""
    code = """
import random, sys
from hypedetect.memory import pin_mmap_threshold
if sys.argv[1] == "pin":
    assert pin_mmap_threshold()
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1])
rng = random.Random(0)
start = None
for i in range(200):
    blocks = [bytearray(rng.randint(1, 8) * 1024 * 1024) for _ in range(3)]
    small = [bytearray(64) for _ in range(2000)]
    del blocks
    if i == 20:
        start = rss()
print(rss() - start)
"""
    grown = {mode: int(subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True,
                                       check=True).stdout) for mode in ("pin", "default")}
    assert grown["pin"] < 4 * 1024 < 8 * 1024 < grown["default"], grown
