"""Train the CenterNet on a set of scenes for a fixed number of steps (every variant gets the same
budget). Adam with a linear warm-up and cosine decay. Resumable: a checkpoint (weights, optimiser,
sampling generator) every `ckpt_every` steps; rerunning continues from it exactly."""
import math
import os
import time

import torch

from .augment import augment as augment_scene
from .boxes import encode, focal_loss, regression_loss
from .model import STRIDE, CenterNet, normalise


def make_batch(scenes, idx, cfg, gen, classic):
    """float images [B, 3, H, W] in [0, 1] and stacked targets for the images at idx."""
    imgs, heat, size, off, mask = [], [], [], [], []
    for i in idx:
        img = torch.from_numpy(scenes.images[i]).float() / 255
        boxes, labels = scenes.boxes[i], scenes.labels[i]
        if classic:
            img, boxes, labels = augment_scene(img, boxes, labels, cfg["augment"], gen)
        h, w = img.shape[1] // STRIDE, img.shape[2] // STRIDE
        t = encode(boxes, labels, len(scenes.classes), h, w, cfg["train"]["min_overlap"])
        imgs.append(img)
        for acc, v in zip((heat, size, off, mask), t):
            acc.append(v)
    return torch.stack(imgs), [torch.stack(v) for v in (heat, size, off, mask)]


def losses(model, images, targets, tcfg):
    heat_t, size_t, off_t, mask = targets
    heat, size, off = model(normalise(images))
    parts = {"heatmap": focal_loss(heat, heat_t), "size": regression_loss(size, size_t, mask),
             "offset": regression_loss(off, off_t, mask)}
    total = sum(tcfg[f"w_{k}"] * v for k, v in parts.items())
    return total, {k: v.item() for k, v in parts.items()}


def lr_factor(step, tcfg):
    if step < tcfg["warmup_steps"]:
        return (step + 1) / tcfg["warmup_steps"]
    p = (step - tcfg["warmup_steps"]) / max(1, tcfg["steps"] - tcfg["warmup_steps"])
    return 0.5 * (1 + math.cos(math.pi * min(1.0, p)))


def train(scenes, cfg, seed, classic=False, ckpt=None, log=None, ckpt_every=100):
    """-> trained model (eval mode). classic: on-the-fly classic augmentation."""
    t = cfg["train"]
    torch.manual_seed(seed)
    model = CenterNet(len(scenes.classes), cfg["model"]["widths"], cfg["model"]["head_width"])
    opt = torch.optim.AdamW(model.parameters(), t["lr"], weight_decay=t["weight_decay"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_factor(s, t))
    gen = torch.Generator().manual_seed(seed + 1)
    step = 0
    if ckpt and os.path.exists(ckpt):
        sd = torch.load(ckpt)
        model.load_state_dict(sd["model"])
        opt.load_state_dict(sd["opt"])
        sched.load_state_dict(sd["sched"])
        gen.set_state(sd["gen"])
        step = sd["step"]
    model.train()
    t0 = time.time()
    while step < t["steps"]:
        idx = torch.randint(len(scenes), (t["batch_size"],), generator=gen).tolist()
        images, targets = make_batch(scenes, idx, cfg, gen, classic)
        loss, parts = losses(model, images, targets, t)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        step += 1
        if log and (step % 50 == 0 or step == t["steps"]):
            log(f"step {step}/{t['steps']} loss {loss.item():.3f} " +
                " ".join(f"{k} {v:.3f}" for k, v in parts.items()) + f" ({(time.time() - t0):.0f} s)")
        if ckpt and (step % ckpt_every == 0 or step == t["steps"]):
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                        "gen": gen.get_state(), "step": step, "classes": scenes.classes}, ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)
    return model.eval()
