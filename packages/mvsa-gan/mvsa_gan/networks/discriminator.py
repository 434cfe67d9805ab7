"""Critic: spectral-normalised residual CNN with a realism head and a class head (LoFGAN)."""
import torch.nn as nn
from torch.nn.utils import spectral_norm

from .blocks import ActFirstResBlock, Conv2dBlock


class Discriminator(nn.Module):
    def __init__(self, num_classes, nf=32, n_res_blks=3, max_nf=512):
        super().__init__()
        layers = [Conv2dBlock(3, nf, 5, 1, 2, norm="sn")]
        for _ in range(n_res_blks):
            nf_out = min(nf * 2, max_nf)
            layers += [ActFirstResBlock(nf, nf), ActFirstResBlock(nf, nf_out),
                       nn.ReflectionPad2d(1), nn.AvgPool2d(3, 2)]
            nf = nf_out
        layers += [ActFirstResBlock(nf, nf), ActFirstResBlock(nf, nf)]
        self.cnn_f = nn.Sequential(*layers)
        self.act = nn.LeakyReLU(0.2)
        self.adv = spectral_norm(nn.Linear(nf, 1))
        self.cls = spectral_norm(nn.Linear(nf, num_classes))
        self.feature_dim = nf

    def forward(self, x):
        """-> realism [B], class_logits [B, C], features [B, F]"""
        feat = self.act(self.cnn_f(x)).mean(dim=(2, 3))
        return self.adv(feat).squeeze(1), self.cls(feat), feat
