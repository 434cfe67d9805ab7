"""One D step then one G step per iteration, LoFGAN losses. All sampling (episodes, fusion inputs,
DiffAugment) goes through one seeded torch.Generator whose state is checkpointed, so a resumed run
repeats the exact next step and a fixed seed reproduces a run.

The first `recon_warmup` iterations train the generator on the reconstruction loss alone (no
critic): the fused-feature decoder first learns to paint the fused pixels, which gives the
adversarial phase a generator that already outputs images instead of noise."""
import copy

import torch
import torch.nn.functional as F

from .diffaugment import diff_augment
from .losses import class_gradient_penalty, reconstruction_loss, reconstruction_target
from .model import build_models, sample_fusion_inputs


def linear_decay(max_iter, start=0.5):
    """lr factor: 1 until start * max_iter, then linear to 0 at max_iter (LoFGAN's second-half decay)."""
    begin = int(max_iter * start)
    return lambda it: 1.0 if it < begin else max(0.0, 1.0 - (it - begin) / max(1, max_iter - begin))


class Trainer:
    def __init__(self, cfg, num_classes):
        self.cfg, self.t, self.m = cfg, cfg["train"], cfg["model"]
        torch.manual_seed(cfg["seed"])
        self.gen, self.dis = build_models(cfg, num_classes)
        # exponential moving average of the generator's weights: what gets evaluated and exported
        self.gen_ema = copy.deepcopy(self.gen).eval().requires_grad_(False)
        t = self.t
        self.opt_g = torch.optim.Adam(self.gen.parameters(), t["lr_gen"], betas=tuple(t["betas"]),
                                      weight_decay=t["weight_decay"])
        self.opt_d = torch.optim.Adam(self.dis.parameters(), t["lr_dis"], betas=tuple(t["betas"]),
                                      weight_decay=t["weight_decay"])
        decay = linear_decay(t["max_iter"], t["lr_decay_start"])
        self.sched_g = torch.optim.lr_scheduler.LambdaLR(self.opt_g, decay)
        self.sched_d = torch.optim.lr_scheduler.LambdaLR(self.opt_d, decay)
        self.rng = torch.Generator().manual_seed(cfg["seed"] + 1)
        self.step = 0
        self.last_gp = 0.0

    def fusion_inputs(self, b):
        return sample_fusion_inputs(b, self.m["k_shot"], self.m["grid"], self.m["n_positions"], self.rng)

    def augment(self, x):
        return diff_augment(x, self.t["diffaug"], self.rng)

    @torch.no_grad()
    def update_ema(self):
        # the effective decay ramps up from 0 (StyleGAN / TF style) so short CPU runs are not
        # dominated by the random initial weights
        d = min(self.t["ema_decay"], (1 + self.step) / (10 + self.step))
        for pe, p in zip(self.gen_ema.parameters(), self.gen.parameters()):
            pe.lerp_(p, 1 - d)
        for be, b in zip(self.gen_ema.buffers(), self.gen.buffers()):
            be.copy_(b)  # BatchNorm statistics follow the live generator

    def d_step(self, images, labels, fake):
        t, k = self.t, images.shape[1]
        real = self.augment(images.flatten(0, 1)).detach().requires_grad_(True)
        real_adv, real_cls, _ = self.dis(real)
        fake_adv, _, _ = self.dis(self.augment(fake))
        y = labels.repeat_interleave(k)
        d_adv = F.relu(1.0 - real_adv).mean() + F.relu(1.0 + fake_adv).mean()
        d_cls = F.cross_entropy(real_cls, y)
        # lazy regularisation (gp_every > 1, StyleGAN2-style) keeps the double backward affordable
        # on CPU; the weight is scaled so the expected penalty is unchanged
        every = t["gp_every"]
        if self.step % every == 0:
            d_gp = class_gradient_penalty(real_cls, y, real)
            gp_term = t["w_gp"] * every * d_gp
        else:
            d_gp, gp_term = torch.tensor(self.last_gp), 0.0  # report the latest value; adds nothing
        self.last_gp = d_gp.item()
        d_loss = t["w_adv"] * d_adv + t["w_cls"] * d_cls + gp_term
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        return {"d_loss": d_loss.item(), "d_adv": d_adv.item(), "d_cls": d_cls.item(), "d_gp": d_gp.item()}

    def train_step(self, images, labels):
        """images [B, K, 3, H, W], labels [B] -> dict of float losses."""
        t, b, k = self.t, images.shape[0], images.shape[1]
        # a random shot becomes the base (LoFGAN picks a random base index)
        shift = torch.randint(k, (b,), generator=self.rng)
        order = (torch.arange(k).unsqueeze(0) + shift.unsqueeze(1)) % k
        images = images[torch.arange(b).unsqueeze(1), order]
        coeffs, positions = self.fusion_inputs(b)
        self.gen.train()
        self.dis.train()
        warm = self.step < t["recon_warmup"]

        out = {"step": self.step + 1}
        if not warm:
            with torch.no_grad():
                fake, _ = self.gen(images, coeffs, positions)
            out.update(self.d_step(images, labels, fake))

        fake, fusion = self.gen.generate_with_fusion(images, coeffs, positions)
        target = reconstruction_target(images, fusion, coeffs, positions, self.m["grid"])
        g_rec = reconstruction_loss(fake, target, positions, self.m["grid"])
        g_loss = t["w_recon"] * g_rec
        if not warm:
            fake_adv, fake_cls, _ = self.dis(self.augment(fake))
            g_adv, g_cls = -fake_adv.mean(), F.cross_entropy(fake_cls, labels)
            g_loss = g_loss + t["w_adv"] * g_adv + t["w_cls"] * g_cls
            out.update(g_adv=g_adv.item(), g_cls=g_cls.item())
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        self.update_ema()

        self.sched_g.step()
        self.sched_d.step()
        self.step += 1
        for key in ("d_loss", "d_adv", "d_cls", "d_gp", "g_adv", "g_cls"):
            out.setdefault(key, 0.0)  # warm-up steps: fixed columns for the CSV log
        out.update(g_loss=g_loss.item(), g_rec=g_rec.item(), lr=self.sched_g.get_last_lr()[0])
        return out

    def state_dict(self):
        return {"step": self.step, "gen": self.gen.state_dict(), "gen_ema": self.gen_ema.state_dict(),
                "dis": self.dis.state_dict(), "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(),
                "sched_g": self.sched_g.state_dict(), "sched_d": self.sched_d.state_dict(),
                "rng": self.rng.get_state(), "torch_rng": torch.get_rng_state(), "last_gp": self.last_gp}

    def load_state_dict(self, sd):
        self.step = sd["step"]
        self.gen.load_state_dict(sd["gen"])
        self.gen_ema.load_state_dict(sd["gen_ema"])
        self.dis.load_state_dict(sd["dis"])
        self.opt_g.load_state_dict(sd["opt_g"])
        self.opt_d.load_state_dict(sd["opt_d"])
        self.sched_g.load_state_dict(sd["sched_g"])
        self.sched_d.load_state_dict(sd["sched_d"])
        self.rng.set_state(sd["rng"])
        torch.set_rng_state(sd["torch_rng"])
        self.last_gp = sd.get("last_gp", 0.0)
