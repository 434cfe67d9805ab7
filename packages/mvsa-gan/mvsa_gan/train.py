"""Train MVSA-GAN on the seen classes of a VOC folder.

    /usr/bin/python3 -m mvsa_gan.train --config configs/mvsa64.yaml --data DIR --out runs/x
Resumes from OUT/checkpoints/last.pt when present.
"""
import argparse
import csv
import json
import os
import signal
import time

import torch
import yaml

from .config import load_config
from .data import EpisodeSampler, pool_from_config, seen_unseen
from .model import sample_fusion_inputs
from .trainer import Trainer
from .utils import save_grid, set_threads


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", required=True)
    p.add_argument("--data", required=True, help="Pascal VOC folder (searched recursively)")
    p.add_argument("--out", required=True)
    p.add_argument("--max-iter", type=int, help="override train.max_iter")
    p.add_argument("--unseen", help="comma-separated unseen classes (override data.unseen_classes)")
    p.add_argument("--threads", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--time-limit", type=float, help="stop (with a checkpoint) after this many minutes")
    p.add_argument("--stop-at", type=int, help="stop (with a checkpoint) at this step; the lr schedule still "
                                               "follows max_iter, so a later resume continues seamlessly")
    return p.parse_args(argv)


def main(argv=None):
    a = parse_args(argv)
    over = {"train": {}, "data": {}}
    if a.max_iter:
        over["train"]["max_iter"] = a.max_iter
    if a.unseen is not None:
        over["data"]["unseen_classes"] = [c for c in a.unseen.split(",") if c]
    if a.seed is not None:
        over["seed"] = a.seed
    cfg = load_config(a.config, over)
    if cfg["data"].get("cache_dir") is None:
        cfg["data"]["cache_dir"] = os.path.join(a.out, "cache")
    set_threads(a.threads or cfg["threads"])
    os.makedirs(os.path.join(a.out, "checkpoints"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "samples"), exist_ok=True)

    pool = pool_from_config(a.data, cfg["data"])
    seen, unseen = seen_unseen(pool, cfg["data"])
    cfg["classes"] = {"all": pool.classes, "seen": seen, "unseen": unseen}
    cfg["data_root"] = os.path.abspath(a.data)
    with open(os.path.join(a.out, "config.yaml"), "w") as f:
        yaml.safe_dump(cfg, f, sort_keys=False)
    print(f"crops per class: {json.dumps(pool.counts())}\nseen: {seen}\nunseen: {unseen}", flush=True)

    sampler = EpisodeSampler(pool, seen, cfg["model"]["k_shot"])
    trainer = Trainer(cfg, len(sampler.seen))
    ckpt = os.path.join(a.out, "checkpoints", "last.pt")
    if os.path.exists(ckpt):
        trainer.load_state_dict(torch.load(ckpt))
        print(f"resumed at step {trainer.step}", flush=True)

    # fixed preview episodes: a dedicated generator so previews don't perturb training randomness
    prev_rng = torch.Generator().manual_seed(1234)
    prev_imgs, _ = sampler.sample(min(8, cfg["train"]["batch_size"]), prev_rng)
    prev_c, prev_p = sample_fusion_inputs(prev_imgs.shape[0], cfg["model"]["k_shot"], cfg["model"]["grid"],
                                          cfg["model"]["n_positions"], prev_rng)

    t = cfg["train"]
    log_path = os.path.join(a.out, "losses.jsonl")
    csv_path = os.path.join(a.out, "losses.csv")
    # SIGTERM/SIGINT: finish the current step, write a checkpoint, exit (resume continues exactly)
    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(True))
    start, t0 = trainer.step, time.time()
    while trainer.step < t["max_iter"] and not (a.stop_at is not None and trainer.step >= a.stop_at):
        imgs, labels = sampler.sample(t["batch_size"], trainer.rng)
        losses = trainer.train_step(imgs, labels)
        s = trainer.step
        if s % t["log_every"] == 0 or s == t["max_iter"]:
            losses["sec_per_step"] = (time.time() - t0) / (s - start)
            with open(log_path, "a") as f:
                f.write(json.dumps(losses) + "\n")
            new = not os.path.exists(csv_path)
            with open(csv_path, "a", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(losses))
                if new:
                    w.writeheader()
                w.writerow(losses)
            print(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in losses.items()), flush=True)
        timed_out = bool(stop) or (a.time_limit and (time.time() - t0) > a.time_limit * 60) \
            or (a.stop_at is not None and s >= a.stop_at)
        if s % t["sample_every"] == 0 or s == t["max_iter"] or timed_out:
            with torch.no_grad():  # previews show the weight average, which is what gets exported
                fake, _ = trainer.gen_ema(prev_imgs, prev_c, prev_p)
            save_grid([prev_imgs[:, i] for i in range(prev_imgs.shape[1])] + [fake],
                      os.path.join(a.out, "samples", f"step{s:06d}.png"))
        if s % t["ckpt_every"] == 0 or s == t["max_iter"] or timed_out:
            torch.save(trainer.state_dict(), ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)  # atomic: a kill mid-save never corrupts last.pt
        if timed_out:
            # the lr decay assumes max_iter steps: a stop before it leaves a model trained at a
            # higher lr than its config says; resume the same command to finish the schedule
            left = "" if s >= t["max_iter"] else f" (lr {losses['lr']:.3g}: decay not finished)"
            print(f"stopped at step {s} of max_iter {t['max_iter']}{left}", flush=True)
            break


if __name__ == "__main__":
    main()
