"""Independent reference of the gridfill-fill-v1 sample plan (README "Sampling spec"), in plain
Python, so lineage can be replayed without Node. Prints the plan as JSON:

    python3 reference_plan.py SEED INDEX[:BEST_OF_CANDIDATE] SHOTS GRID_CELLS N_POSITIONS CANDIDATE...

BEST_OF_CANDIDATE (default 0) is a best-of-N fill's candidate number: 0 is the sample's own plan.
"""
import hashlib
import json
import struct
import sys

M64, M32 = (1 << 64) - 1, (1 << 32) - 1


def splitmix64(state):
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        yield z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Xoshiro128ss:  # xoshiro128** 1.1
    def __init__(self, seed64):
        sm = splitmix64(seed64)
        a, b = next(sm), next(sm)
        self.s = [a & M32, a >> 32, b & M32, b >> 32]

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M32, 7) * 9) & M32
        t = (s[1] << 9) & M32
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def uniform_int(self, n):
        bound = 2**32 - (2**32 % n)
        while True:
            u = self.next()
            if u < bound:
                return u % n

    def uniform01(self):
        return self.next() / 2**32


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def plan(seed, index, shots, grid_cells, n, candidates, best_of_candidate=0):
    seed = str(int(seed))
    suffix = f":{best_of_candidate}" if best_of_candidate > 0 else ""
    digest = hashlib.sha256(f"gridfill-fill-v1:{seed}:{index}{suffix}".encode()).digest()
    rng = Xoshiro128ss(int.from_bytes(digest[:8], "big"))
    pool = list(candidates)
    for j in range(shots):
        r = j + rng.uniform_int(len(pool) - j)
        pool[j], pool[r] = pool[r], pool[j]
    drawn = pool[:shots]
    base = rng.uniform_int(shots)
    refs = [drawn[base]] + [d for i, d in enumerate(drawn) if i != base]
    while True:
        u = [rng.uniform01() for _ in range(shots)]
        if sum(u) != 0:
            break
    total = 0.0
    for x in u:  # left-to-right, as the TypeScript reduce
        total += x
    coeffs = [f32(x / total) for x in u]
    cells = list(range(grid_cells))
    for j in range(n):
        r = j + rng.uniform_int(grid_cells - j)
        cells[j], cells[r] = cells[r], cells[j]
    return {"seed64": int.from_bytes(digest[:8], "big"), "referenceIds": refs, "baseIndex": base,
            "coefficients": coeffs, "positions": sorted(cells[:n])}


if __name__ == "__main__":
    a = sys.argv[1:]
    index, _, c = a[1].partition(":")
    print(json.dumps(plan(a[0], int(index), int(a[2]), int(a[3]), int(a[4]), a[5:], int(c or 0))))
