"""YAML config loading with defaults; derived sizes are checked here once."""
import copy
import math

import yaml

DEFAULTS = {
    "name": "mvsa",
    "seed": 0,
    "threads": None,  # None -> os.cpu_count()
    "data": {
        "image_size": 64,
        "margin": 0.25,          # crop side = (1 + margin) * longest box side
        "min_box": 8,            # boxes with a shorter longest side are skipped
        "test_fraction": 0.2,    # images held out per class for evaluation
        "classes": [],           # empty -> every class found
        "unseen_classes": [],    # never shown to the generator during training
        "cache_dir": None,
    },
    "model": {
        "encoder": "cot",        # cot (MVSA-GAN SAEncoder) | conv (LoFGAN ablation)
        "global_fusion": True,   # False -> local fusion only (LoFGAN ablation)
        "k_shot": 3,
        "widths": [32, 64, 128, 128, 128],
        "strides": [2, 2, 2, 2],
        "heads": 4,
        "decoder": [128, 128, 64, 32],
        "fuse_rate": 0.5,        # fraction of feature-grid positions fused
        "dis_nf": 32,
        "dis_blocks": 4,
    },
    "train": {
        "batch_size": 8,
        "max_iter": 10000,
        "lr_gen": 1.0e-4,
        "lr_dis": 1.0e-4,
        "betas": [0.9, 0.999],
        "weight_decay": 1.0e-4,
        "w_adv": 1.0,
        "w_cls": 1.0,
        "w_recon": 5.0,          # LoFGAN's weight for the nearest-pixel local reconstruction
        "w_gp": 10.0,            # gradient penalty on the true-class logit of real images
        "gp_every": 1,
        "recon_warmup": 0,       # first iterations: generator on the reconstruction loss only
        "lr_decay_start": 0.5,   # lr is linear to 0 from this fraction of max_iter to max_iter
        "ema_decay": 0.999,      # generator weight average (evaluated and exported)
        "diffaug": "color,translation,cutout",  # DiffAugment on every critic input; "" = off
        "log_every": 10,
        "sample_every": 250,
        "ckpt_every": 250,
    },
}


def _merge(base, over):
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def finalize(cfg):
    cfg = _merge(DEFAULTS, cfg)
    m, size = cfg["model"], cfg["data"]["image_size"]
    down = math.prod(m["strides"])
    assert size % down == 0, "image_size must be divisible by the encoder's total stride"
    m["grid"] = size // down
    ups = int(round(math.log2(down)))
    assert 2 ** ups == down and len(m["decoder"]) == ups, \
        f"decoder needs {ups} upsampling widths to go from {m['grid']} back to {size}"
    m["n_positions"] = max(1, int(m["fuse_rate"] * m["grid"] ** 2))
    return cfg


def load_config(path, overrides=None):
    with open(path) as f:
        cfg = yaml.safe_load(f) or {}
    return finalize(_merge(cfg, overrides or {}))
