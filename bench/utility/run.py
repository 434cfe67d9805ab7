"""Detector utility of a training set: train the same CenterNet on the same budget under several
training sets and score each on one held-out real test split.

    /usr/bin/python3 bench/utility/run.py --train SPLIT/train --test SPLIT/test --rare crack \\
        --out /tmp/utility [--seeds 3 --first-seed 0] [--variants real,classic] [--fills copy-paste=DIR --fills mvsa=DIR]

Variants: `real` (the train folder as is), `classic` (the same with flip / scale / colour
augmentation), and one `fill:NAME` per --fills NAME=DIR: the train folder plus the images of DIR, an
exported platform fill in Pascal VOC (images identical to a train image are counted once; an image
identical to a test image stops the run). Every run is seeded, checkpointed and written to
OUT/<variant>-s<seed>/ (result.json, detector.onnx); rerunning skips finished runs and resumes
unfinished ones. Prints, and writes to OUT/results.md, rare-class AP50, rare-class recall at the
configured confidence, and the mAP50 over the other classes, mean ± std over seeds."""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from centernet.evaluate import detect, score  # noqa: E402
from centernet.export import export_detector  # noqa: E402
from centernet.scenes import class_names, load_scenes  # noqa: E402
from centernet.train import train  # noqa: E402

METRICS = (("rare_ap50", "rare AP50"), ("rare_recall", "rare recall@{conf}"), ("common_map50", "common mAP50"))


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def table(results, rare, cfg, counts):
    conf = cfg["evaluate"]["recall_confidence"]
    head = ["training set", "rare train boxes", "runs"] + [h.format(conf=conf) for _, h in METRICS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for variant, runs in results.items():
        cells = [variant, str(counts[variant]), str(len(runs))]
        for key, _ in METRICS:
            v = [r[key] for r in runs if r[key] is not None]
            cells.append(f"{np.mean(v):.3f} ± {np.std(v):.3f}" if v else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return f"Rare class `{rare}`.\n\n" + "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True, help="real training scenes (Pascal VOC)")
    ap.add_argument("--test", required=True, help="held-out real test scenes (Pascal VOC)")
    ap.add_argument("--rare", required=True, help="the rare class")
    ap.add_argument("--out", required=True)
    ap.add_argument("--fills", action="append", default=[], help="NAME=DIR: exported fill (VOC), repeatable")
    ap.add_argument("--variants", default="real,classic", help="comma-separated: real, classic (fills add theirs)")
    ap.add_argument("--seeds", type=int, default=3, help="runs per variant, seeds first-seed, first-seed + 1, ...")
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--steps", type=int, help="override train.steps (the same for every variant)")
    ap.add_argument("--config", default=os.path.join(HERE, "config.yaml"))
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    with open(a.config) as f:
        cfg = yaml.safe_load(f)
    if a.steps:
        cfg["train"]["steps"] = a.steps
    seeds = list(range(a.first_seed, a.first_seed + a.seeds))
    fills = dict(spec.split("=", 1) for spec in a.fills)
    w, h = cfg["input"]["width"], cfg["input"]["height"]

    classes = class_names(a.train, a.test, *fills.values())
    if a.rare not in classes:
        sys.exit(f"rare class {a.rare!r} not among {classes}")
    real, test = load_scenes(a.train, classes, w, h), load_scenes(a.test, classes, w, h)
    leaked = set(real.sha1) & set(test.sha1)
    if leaked:
        sys.exit(f"{len(leaked)} test images are also in the train folder")
    sets = {v: (real, v == "classic") for v in a.variants.split(",") if v}
    for name, d in fills.items():
        extra = load_scenes(d, classes, w, h)
        if set(extra.sha1) & set(test.sha1):
            sys.exit(f"fill {name!r} contains held-out test images; export the train split only")
        sets[f"fill:{name}"] = (real.concat(extra), False)
    counts = {v: s.instances()[a.rare] for v, (s, _) in sets.items()}
    log(f"classes {classes}; test: {len(test)} images, boxes {test.instances()}")
    for v, (s, _) in sets.items():
        log(f"{v}: {len(s)} images, boxes {s.instances()}")

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "config.yaml"), "w") as f:
        yaml.safe_dump({**cfg, "rare": a.rare, "seeds": seeds, "data": {
            "train": os.path.abspath(a.train), "test": os.path.abspath(a.test),
            "fills": {k: os.path.abspath(v) for k, v in fills.items()}}}, f, sort_keys=False)
    results = {}
    for variant, (scenes, classic) in sets.items():
        results[variant] = []
        for seed in seeds:
            run_dir = os.path.join(a.out, f"{variant.replace(':', '-')}-s{seed}")
            res_path = os.path.join(run_dir, "result.json")
            if os.path.exists(res_path):
                with open(res_path) as f:
                    results[variant].append(json.load(f))
                continue
            os.makedirs(run_dir, exist_ok=True)
            log(f"training {variant} seed {seed} ({cfg['train']['steps']} steps)")
            t0 = time.time()
            model = train(scenes, cfg, seed, classic, os.path.join(run_dir, "ckpt.pt"), lambda m: log(f"  {m}"))
            res = {**score(detect(model, test, cfg), test, a.rare, cfg), "variant": variant, "seed": seed,
                   "train_images": len(scenes), "rare_train_boxes": counts[variant],
                   "train_seconds_this_session": time.time() - t0}
            export_detector(model, classes, cfg, os.path.join(run_dir, "detector.onnx"))
            with open(res_path, "w") as f:
                json.dump(res, f, indent=1)
            log(f"  {variant} seed {seed}: " + ", ".join(f"{k} {res[k]:.3f}" for k, _ in METRICS if res[k] is not None))
            results[variant].append(res)
    md = table(results, a.rare, cfg, counts)
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(md)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(md)


if __name__ == "__main__":
    main()
