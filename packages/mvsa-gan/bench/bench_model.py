"""MVSA-GAN CPU throughput: training steps/s, and generator images/s at batch 1 and 8 in PyTorch
eager vs onnxruntime (onnxruntime-node, since Python onnxruntime may be absent), in one run.
Writes the `## MVSA-GAN` section of docs/benchmarks.md.

    /usr/bin/python3 packages/mvsa-gan/bench/bench_model.py --config packages/mvsa-gan/configs/mvsa64.yaml
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(PKG))
sys.path.insert(0, PKG)

import torch  # noqa: E402

from mvsa_gan.config import load_config  # noqa: E402
from mvsa_gan.export import export_models, node_bin  # noqa: E402
from mvsa_gan.model import sample_fusion_inputs  # noqa: E402
from mvsa_gan.trainer import Trainer  # noqa: E402


def timed(fn, seconds):
    fn()  # warm-up
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - t0)


def bench_config(path, threads, seconds, batches):
    cfg = load_config(path)
    cfg["train"]["recon_warmup"] = 0  # time full adversarial steps, not the cheaper warm-start ones
    m, size = cfg["model"], cfg["data"]["image_size"]
    cfg["classes"] = {"all": [f"c{i}" for i in range(4)], "seen": [f"c{i}" for i in range(4)], "unseen": []}
    tr = Trainer(cfg, 4)
    b = cfg["train"]["batch_size"]
    imgs, labels = torch.rand(b, m["k_shot"], 3, size, size) * 2 - 1, torch.randint(4, (b,))
    res = {"config": os.path.relpath(path, REPO), "image_size": size, "train_batch": b,
           "train_steps_per_s": timed(lambda: tr.train_step(imgs, labels), seconds),
           "gen_params": sum(p.numel() for p in tr.gen.parameters()),
           "torch_images_per_s": {}, "ort_images_per_s": None}
    gen = tr.gen.eval()
    for bs in batches:
        x = torch.rand(bs, m["k_shot"], 3, size, size) * 2 - 1
        c, p = sample_fusion_inputs(bs, m["k_shot"], m["grid"], m["n_positions"])
        with torch.no_grad():
            res["torch_images_per_s"][str(bs)] = bs * timed(lambda: gen(x, c, p), seconds)
    node = node_bin()
    if node:
        with tempfile.TemporaryDirectory() as tmp:
            g_path, _ = export_models(tr.gen, tr.dis, cfg, tmp)
            proc = subprocess.run([node, "--import", "tsx", os.path.join(PKG, "bench", "ort_bench.ts"), g_path,
                                   str(m["k_shot"]), str(size), str(m["n_positions"]), str(m["grid"]),
                                   str(threads), str(seconds)] + [str(bs) for bs in batches],
                                  cwd=REPO, capture_output=True, text=True)
            if proc.returncode == 0:
                res["ort_images_per_s"] = json.loads(proc.stdout.strip().splitlines()[-1])
            else:
                res["ort_error"] = proc.stderr[-500:]
    return res


def write_section(results, meta, cmd):
    lines = ["## MVSA-GAN", "",
             f"Command: `{cmd}`", "",
             f"CPU: {meta['cpu']} ({meta['cores']} cores), threads={meta['threads']}, torch {meta['torch']}, "
             f"onnxruntime-node {meta['ort']}. Load average during the run: {meta['load_before']} → {meta['load_after']} "
             "(the machine is shared; numbers are only comparable within one run).", "",
             "| config | px | train steps/s (batch) | PyTorch eager img/s b1 | b8 | onnxruntime img/s b1 | b8 |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        t, o = r["torch_images_per_s"], r["ort_images_per_s"] or {}
        lines.append(f"| `{r['config']}` | {r['image_size']} | {r['train_steps_per_s']:.3f} ({r['train_batch']}) | "
                     f"{t.get('1', 0):.1f} | {t.get('8', 0):.1f} | {o.get('1', float('nan')):.1f} | {o.get('8', float('nan')):.1f} |")
    lines += ["", "Random weights (throughput does not depend on them); a training step is one critic step "
              "(with the lazy gradient penalty amortised as configured) plus one generator step.", ""]
    section = "\n".join(lines)
    path = os.path.join(REPO, "docs", "benchmarks.md")
    old = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    start = old.find("## MVSA-GAN")
    if start >= 0:
        end = old.find("\n## ", start + 1)
        old = old[:start].rstrip() + "\n" + (old[end:] if end >= 0 else "")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(old.rstrip() + "\n\n" + section)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", action="append", help="repeatable; default configs/mvsa64.yaml")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seconds", type=float, default=10.0, help="measuring time per number")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    configs = a.config or [os.path.join(PKG, "configs", "mvsa64.yaml")]
    load0 = " ".join(f"{x:.1f}" for x in os.getloadavg())
    results = [bench_config(c, a.threads, a.seconds, [1, 8]) for c in configs]
    try:
        ort_v = json.load(open(os.path.join(REPO, "node_modules", "onnxruntime-node", "package.json")))["version"]
    except OSError:
        ort_v = "absent"
    meta = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "threads": a.threads,
            "torch": torch.__version__, "ort": ort_v, "load_before": load0,
            "load_after": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    try:
        meta["cpu"] = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(json.dumps({"meta": meta, "results": results}, indent=1))
    if not a.no_write:
        cmd = "/usr/bin/python3 packages/mvsa-gan/bench/bench_model.py " + " ".join(sys.argv[1:])
        print("wrote", write_section(results, meta, cmd.strip()))


if __name__ == "__main__":
    main()
