"""PyTorch eager CPU inference of an MVSA-GAN generator (random weights: throughput does not depend
on them), and its ONNX export for the onnxruntime side of the same comparison.

    /usr/bin/python3 bench/generate/eager.py --config packages/mvsa-gan/configs/mvsa64.yaml \
        --threads 2 --seconds 6 --batch 1 --batch 8 --export /tmp/gen.onnx
Prints one JSON object: {"images_per_s": {"1": ..., "8": ...}, "onnx": path, ...}.
"""
import argparse
import json
import os
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "packages", "mvsa-gan"))

import torch  # noqa: E402

from mvsa_gan.config import load_config  # noqa: E402
from mvsa_gan.export import export_models  # noqa: E402
from mvsa_gan.model import sample_fusion_inputs  # noqa: E402
from mvsa_gan.trainer import Trainer  # noqa: E402


def timed(fn, seconds):
    fn()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--batch", type=int, action="append")
    ap.add_argument("--export", help="write the generator's ONNX export here (same weights)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = load_config(a.config)
    m, size = cfg["model"], cfg["data"]["image_size"]
    cfg["classes"] = {"all": [f"c{i}" for i in range(4)], "seen": [f"c{i}" for i in range(4)], "unseen": []}
    tr = Trainer(cfg, 4)
    gen = tr.gen.eval()
    out = {"config": os.path.relpath(a.config, REPO), "image_size": size, "shots": m["k_shot"],
           "n_positions": m["n_positions"], "grid": m["grid"], "threads": a.threads,
           "torch": torch.__version__, "images_per_s": {}}
    for bs in a.batch or [1, 8]:
        x = torch.rand(bs, m["k_shot"], 3, size, size) * 2 - 1
        c, p = sample_fusion_inputs(bs, m["k_shot"], m["grid"], m["n_positions"])
        with torch.inference_mode():
            out["images_per_s"][str(bs)] = bs * timed(lambda: gen(x, c, p), a.seconds)
    if a.export:
        with tempfile.TemporaryDirectory() as tmp:
            g_path, _ = export_models(tr.gen, tr.dis, cfg, tmp)
            os.replace(g_path, a.export)
        out["onnx"] = a.export
    print(json.dumps(out))


if __name__ == "__main__":
    main()
