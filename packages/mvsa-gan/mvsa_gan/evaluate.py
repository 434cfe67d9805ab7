"""Evaluate few-shot generators against held-out real crops, per class.

    /usr/bin/python3 -m mvsa_gan.evaluate --data DIR --model mvsa=runs/a --model lofgan=runs/b \
        --classes crack,broken_damper --rare crack --out eval/scenes

For every evaluated class, each generator gets the same `--shots` real training crops of that class
(the few-shot references) and produces `--n-gen` images; copy-and-augment (augmented copies of the
references) is always evaluated as a baseline. Metrics, all in the feature space of an in-domain
classifier trained here on the real training crops:
  fd_dom        Frechet distance to the held-out real crops of the class (small samples: compare
                only within one run; it is not FID and not comparable to FID numbers)
  diversity     mean pairwise feature distance of the generated set vs of the held-out real set
  memorisation  nearest-reference distances of generated vs held-out real images
  recon_l1      the reconstruction loss of training, measured on the class's references: L1 between
                the generated image's nearest pixels at the fused positions and the same fusion
                applied to the real shots (pixel units of [-1, 1] images)
Downstream: a classifier trained on an imbalanced real split (rare class limited to the `--shots`
references) with nothing added, with classic on-the-fly augmentation + class-balanced sampling, and
with a synthetic fill of the rare class from each generator; scored on the held-out real test split
by rare-class recall and F1 (mean and std over `--seeds`).
"""
import argparse
import json
import os
import time

import numpy as np
import torch

from .classifier import augment, features, predict, train_classifier
from .data import load_pool
from .export import load_run
from .metrics import frechet_distance, mean_pairwise_distance, memorisation, recall_f1
from .losses import reconstruction_loss, reconstruction_target
from .model import generate, sample_episodes
from .utils import save_grid, set_threads


def copy_and_augment(shots, n, gen):
    idx = torch.randint(len(shots), (n,), generator=gen)
    return augment(shots[idx], gen)


@torch.no_grad()
def reconstruction_error(gen, shots, n, rng, mcfg):
    """Mean reconstruction L1 over n episodes drawn from the shots (see recon_l1 above)."""
    gen.eval()
    errs = []
    for x, c, p in sample_episodes(shots, n, rng, mcfg):
        fake, fusion = gen.generate_with_fusion(x, c, p)
        target = reconstruction_target(x, fusion, c, p, mcfg["grid"])
        errs.append(reconstruction_loss(fake, target, p, mcfg["grid"]).item() * len(x))
    return float(sum(errs) / n)


def _fmt(v, nd=3):
    return "–" if v is None else f"{v:.{nd}f}"


def run(a):
    set_threads(a.threads)
    models = {}
    for spec in a.model:
        name, path = spec.split("=", 1)
        cfg, gen, _, step = load_run(path)
        models[name] = (cfg, gen, step)
    cfg0 = next(iter(models.values()))[0] if models else None
    size = a.image_size or (cfg0["data"]["image_size"] if cfg0 else 64)
    d = cfg0["data"] if cfg0 else {"margin": 0.25, "min_box": 8, "test_fraction": 0.2}
    # same crop parameters as training, so seen-class held-out images are the ones training never saw
    pool = load_pool(a.data, size, d["margin"], d["min_box"], a.test_fraction or d["test_fraction"],
                     None, a.cache_dir)
    classes = a.classes.split(",") if a.classes else pool.classes
    rare = a.rare or classes[0]
    nc = len(pool.classes)
    t0 = time.time()
    report = {"data": os.path.abspath(a.data), "image_size": size, "shots": a.shots, "n_gen": a.n_gen,
              "seeds": a.seeds, "crops": pool.counts(), "models": {}, "classes": {}, "downstream": {}}
    for name, (cfg, _, step) in models.items():
        report["models"][name] = {"encoder": cfg["model"]["encoder"], "global_fusion": cfg["model"]["global_fusion"],
                                  "step": step, "trained_on": cfg.get("data_root"),
                                  "unseen_classes": cfg["classes"]["unseen"]}

    # in-domain feature extractor: all real training crops, class-balanced
    cap = a.cap_per_class
    tr_idx = np.concatenate([pool.indices(c)[:cap] for c in pool.classes])
    te_idx = np.concatenate([pool.indices(c, True) for c in pool.classes])
    x_tr, y_tr = pool.tensor(tr_idx), torch.from_numpy(pool.labels[tr_idx]).long()
    x_te, y_te = pool.tensor(te_idx), pool.labels[te_idx]
    fe = train_classifier(x_tr, y_tr, nc, steps=a.clf_steps, seed=1000)
    acc = float((predict(fe, x_te) == y_te).mean())
    report["feature_extractor"] = {"test_accuracy": acc, "train_crops": len(tr_idx), "test_crops": len(te_idx)}
    print(f"in-domain classifier: held-out accuracy {acc:.3f}", flush=True)

    rng = torch.Generator().manual_seed(a.seed)
    fills, ref_crops = {}, {}
    os.makedirs(a.out, exist_ok=True)
    for cls in classes:
        ref_idx = pool.indices(cls)
        ref_idx = ref_idx[torch.randperm(len(ref_idx), generator=rng)[:a.shots].numpy()]
        ref_crops[cls] = ref_idx
        refs = pool.tensor(ref_idx)
        real_te = pool.tensor(pool.indices(cls, True))
        f_ref, f_real = features(fe, refs), features(fe, real_te)
        sets = {"copy_augment": copy_and_augment(refs, a.n_gen, rng)}
        for name, (cfg, gen, _) in models.items():
            sets[name] = generate(gen, refs, a.n_gen, rng, cfg["model"]).clamp(-1, 1)
        res = {"n_test": len(real_te), "references": [pool.sources[i] for i in ref_idx],
               "real_diversity": mean_pairwise_distance(f_real),
               "fd_dom_references_vs_test": frechet_distance(f_ref, f_real) if len(f_ref) > 1 else None,
               "generators": {}}
        for name, x in sets.items():
            f = features(fe, x)
            res["generators"][name] = {
                "fd_dom": frechet_distance(f, f_real), "diversity": mean_pairwise_distance(f),
                "memorisation": memorisation(f, f_ref, f_real),
                "classified_as_class": float((predict(fe, x) == pool.classes.index(cls)).mean())}
            if cls == rare:
                fills[name] = x
        for name, (cfg, gen, _) in models.items():
            res["generators"][name]["recon_l1"] = reconstruction_error(gen, refs, a.n_gen, rng, cfg["model"])
        report["classes"][cls] = res
        # columns: references, each generator, held-out real
        cols = [refs] + list(sets.values()) + [real_te]
        save_grid([c[torch.arange(8) % len(c)] for c in cols], os.path.join(a.out, f"samples_{cls}.png"))
        print(f"{cls}: " + ", ".join(f"{k} fd_dom={v['fd_dom']:.2f}" for k, v in res["generators"].items()), flush=True)

    # downstream: imbalanced real split, rare class limited to its references
    rare_c = pool.classes.index(rare)
    keep = np.array([i for i in tr_idx if pool.labels[i] != rare_c])
    rare_idx = ref_crops[rare]
    base_idx = np.concatenate([keep, rare_idx])
    xb, yb = pool.tensor(base_idx), torch.from_numpy(pool.labels[base_idx]).long()
    fill_n = max(0, min(cap, int(np.bincount(pool.labels[keep]).max())) - len(rare_idx))
    variants = {"real_only": (xb, yb, False), "classic_augmentation": (xb, yb, True)}
    for name, x in fills.items():
        x = x[:fill_n] if len(x) >= fill_n else x[torch.randint(len(x), (fill_n,), generator=rng)]
        variants[f"fill_{name}"] = (torch.cat([xb, x]), torch.cat([yb, torch.full((len(x),), rare_c)]), False)
    for vname, (x, y, aug) in (variants if a.seeds > 0 else {}).items():  # --seeds 0: no downstream
        scores = []
        for s in range(a.seeds):
            clf = train_classifier(x, y, nc, steps=a.clf_steps, seed=s, aug=aug)
            scores.append(recall_f1(y_te, predict(clf, x_te), rare_c))
        report["downstream"][vname] = {
            k: {"mean": float(np.mean([sc[k] for sc in scores])), "std": float(np.std([sc[k] for sc in scores]))}
            for k in ("recall", "f1", "precision")}
        report["downstream"][vname]["train_rare"] = int((y == rare_c).sum())
        print(f"downstream {vname}: recall {report['downstream'][vname]['recall']['mean']:.3f} "
              f"f1 {report['downstream'][vname]['f1']['mean']:.3f}", flush=True)
    report["rare_class"] = rare
    report["rare_real_train"] = int(len(rare_idx))
    report["seconds"] = time.time() - t0
    with open(os.path.join(a.out, "eval.json"), "w") as f:
        json.dump(report, f, indent=1)
    with open(os.path.join(a.out, "eval.md"), "w") as f:
        f.write(to_markdown(report))
    return report


def to_markdown(r):
    lines = [f"Data: `{r['data']}` at {r['image_size']} px; {r['shots']} real reference crops per class; "
             f"{r['n_gen']} generated images per class and generator.",
             f"In-domain feature classifier held-out accuracy: {r['feature_extractor']['test_accuracy']:.3f} "
             f"({r['feature_extractor']['train_crops']} train / {r['feature_extractor']['test_crops']} test crops).", ""]
    lines += ["| class | generator | FD_dom ↓ | recon L1 ↓ | diversity (gen / real) | NN-to-reference gen/real | "
              "near-copy rate | classified as class |", "|---|---|---|---|---|---|---|---|"]
    for cls, c in r["classes"].items():
        lines.append(f"| {cls} | *real references ({len(c['references'])})* | {_fmt(c['fd_dom_references_vs_test'], 2)} | – | "
                     f"– / {_fmt(c['real_diversity'], 2)} | – | – | – |")
        for g, v in c["generators"].items():
            m = v["memorisation"]
            lines.append(f"| {cls} | {g} | {_fmt(v['fd_dom'], 2)} | {_fmt(v.get('recon_l1'), 3)} | "
                         f"{_fmt(v['diversity'], 2)} / {_fmt(c['real_diversity'], 2)} | "
                         f"{_fmt(m['ratio'], 2)} | {_fmt(m['near_copy_rate'], 2)} | {_fmt(v['classified_as_class'], 2)} |")
    if not r["downstream"]:
        return "\n".join(lines) + "\n"
    lines += ["", f"Downstream (rare class `{r['rare_class']}`: {r['rare_real_train']} real training crops; "
              f"mean ± std over {r['seeds']} seeds, held-out real test split):", "",
              "| training set | rare crops | rare recall | rare F1 |", "|---|---|---|---|"]
    for v, s in r["downstream"].items():
        lines.append(f"| {v} | {s['train_rare']} | {s['recall']['mean']:.3f} ± {s['recall']['std']:.3f} | "
                     f"{s['f1']['mean']:.3f} ± {s['f1']['std']:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--model", action="append", default=[], help="NAME=RUN_DIR (repeatable)")
    ap.add_argument("--classes", help="classes to evaluate (default: all)")
    ap.add_argument("--rare", help="rare class for the downstream test (must be evaluated; default: first)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--shots", type=int, default=10, help="real reference crops per class")
    ap.add_argument("--n-gen", type=int, default=64)
    ap.add_argument("--seeds", type=int, default=2, help="downstream classifier seeds (0: skip downstream)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--clf-steps", type=int, default=200)
    ap.add_argument("--cap-per-class", type=int, default=200, help="real training crops per class, at most")
    ap.add_argument("--image-size", type=int)
    ap.add_argument("--test-fraction", type=float)
    ap.add_argument("--cache-dir")
    ap.add_argument("--threads", type=int)
    run(ap.parse_args(argv))


if __name__ == "__main__":
    main()
