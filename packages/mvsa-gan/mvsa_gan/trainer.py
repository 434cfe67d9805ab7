"""One D step then one G step per iteration, LoFGAN losses. All sampling goes through one seeded
torch.Generator whose state is checkpointed, so a resumed run repeats the exact next step."""
import torch
import torch.nn.functional as F

from .model import build_models, sample_fusion_inputs
from .networks.glfm import local_fuse_images


def _linear_decay(max_iter):
    half = max_iter // 2
    return lambda it: 1.0 if it < half else max(0.0, 1.0 - (it - half) / max(1, max_iter - half))


class Trainer:
    def __init__(self, cfg, num_classes):
        self.cfg, self.t, self.m = cfg, cfg["train"], cfg["model"]
        torch.manual_seed(cfg["seed"])
        self.gen, self.dis = build_models(cfg, num_classes)
        t = self.t
        self.opt_g = torch.optim.Adam(self.gen.parameters(), t["lr_gen"], betas=tuple(t["betas"]),
                                      weight_decay=t["weight_decay"])
        self.opt_d = torch.optim.Adam(self.dis.parameters(), t["lr_dis"], betas=tuple(t["betas"]),
                                      weight_decay=t["weight_decay"])
        self.sched_g = torch.optim.lr_scheduler.LambdaLR(self.opt_g, _linear_decay(t["max_iter"]))
        self.sched_d = torch.optim.lr_scheduler.LambdaLR(self.opt_d, _linear_decay(t["max_iter"]))
        self.rng = torch.Generator().manual_seed(cfg["seed"] + 1)
        self.step = 0
        self.last_gp = 0.0

    def fusion_inputs(self, b):
        return sample_fusion_inputs(b, self.m["k_shot"], self.m["grid"], self.m["n_positions"], self.rng)

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

        # --- D step: hinge on real (all K shots) and fake, class loss on real, R1-style GP on real
        with torch.no_grad():
            fake, _ = self.gen(images, coeffs, positions)
        real = images.flatten(0, 1).requires_grad_(True)
        real_adv, real_cls, _ = self.dis(real)
        fake_adv, _, _ = self.dis(fake)
        d_adv = F.relu(1.0 - real_adv).mean() + F.relu(1.0 + fake_adv).mean()
        d_cls = F.cross_entropy(real_cls, labels.repeat_interleave(k))
        # lazy regularisation (gp_every > 1, StyleGAN2-style) keeps the double backward affordable
        # on CPU; the weight is scaled so the expected penalty is unchanged
        every = t.get("gp_every", 1)
        if self.step % every == 0:
            grad, = torch.autograd.grad(real_adv.sum(), real, create_graph=True)
            d_gp = grad.pow(2).flatten(1).sum(1).mean()
        else:
            d_gp = torch.tensor(self.last_gp)  # report the latest computed value; adds nothing
        self.last_gp = d_gp.item()
        gp_term = t["w_gp"] * every * d_gp if d_gp.requires_grad else 0.0
        d_loss = t["w_adv"] * d_adv + t["w_cls"] * d_cls + gp_term
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()

        # --- G step: hinge adversarial, class loss on fake, local reconstruction at grid scale
        fake, ref_idx = self.gen(images, coeffs, positions)
        fake_adv, fake_cls, _ = self.dis(fake)
        g_adv = -fake_adv.mean()
        g_cls = F.cross_entropy(fake_cls, labels)
        target = local_fuse_images(images, coeffs, positions, ref_idx, self.m["grid"])
        g_rec = F.l1_loss(F.adaptive_avg_pool2d(fake, self.m["grid"]), target)
        g_loss = t["w_adv"] * g_adv + t["w_cls"] * g_cls + t["w_recon"] * g_rec
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()

        self.sched_g.step()
        self.sched_d.step()
        self.step += 1
        return {"step": self.step, "d_loss": d_loss.item(), "d_adv": d_adv.item(), "d_cls": d_cls.item(),
                "d_gp": d_gp.item(), "g_loss": g_loss.item(), "g_adv": g_adv.item(), "g_cls": g_cls.item(),
                "g_rec": g_rec.item(), "lr": self.sched_g.get_last_lr()[0]}

    def state_dict(self):
        return {"step": self.step, "gen": self.gen.state_dict(), "dis": self.dis.state_dict(),
                "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(),
                "sched_g": self.sched_g.state_dict(), "sched_d": self.sched_d.state_dict(),
                "rng": self.rng.get_state(), "torch_rng": torch.get_rng_state(), "last_gp": self.last_gp}

    def load_state_dict(self, sd):
        self.step = sd["step"]
        self.gen.load_state_dict(sd["gen"])
        self.dis.load_state_dict(sd["dis"])
        self.opt_g.load_state_dict(sd["opt_g"])
        self.opt_d.load_state_dict(sd["opt_d"])
        self.sched_g.load_state_dict(sd["sched_g"])
        self.sched_d.load_state_dict(sd["sched_d"])
        self.rng.set_state(sd["rng"])
        torch.set_rng_state(sd["torch_rng"])
        self.last_gp = sd.get("last_gp", 0.0)
