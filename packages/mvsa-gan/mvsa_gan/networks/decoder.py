"""Decoder from the fused feature grid to an image (LoFGAN style: nearest upsample + conv)."""
import torch.nn as nn

from .blocks import Conv2dBlock


class Decoder(nn.Module):
    def __init__(self, widths=(128, 128, 64, 32), in_channels=128):
        super().__init__()
        layers, cin = [], in_channels
        for cout in widths:  # one x2 upsample per entry
            layers += [nn.Upsample(scale_factor=2, mode="nearest"),
                       Conv2dBlock(cin, cout, 3, 1, 1, norm="bn", act="lrelu")]
            cin = cout
        layers.append(Conv2dBlock(cin, 3, 5, 1, 2, norm="none", act="tanh"))
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)
