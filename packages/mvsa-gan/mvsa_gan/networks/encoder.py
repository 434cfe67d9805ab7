"""Feature encoders. SAEncoder (MVSA-GAN) stacks five CoT stages; ConvEncoder is LoFGAN's plain
conv encoder, kept as the ablation baseline (config switch `model.encoder: conv`)."""
import torch.nn as nn

from .blocks import Conv2dBlock
from .cot import CoTBlock


class SAEncoder(nn.Module):
    """Stage 1: 5x5 conv raises 3 -> widths[0] at input scale, then a CoT block.
    Stages 2-5: 1x1 conv and CoT block keep the width, a 3x3 conv (stride s) raises it.
    """

    def __init__(self, widths=(32, 64, 128, 128, 128), strides=(2, 2, 2, 2), heads=4):
        super().__init__()
        assert len(widths) == 5 and len(strides) == 4
        stages = [nn.Sequential(Conv2dBlock(3, widths[0], 5, 1, 2, norm="bn", act="lrelu"),
                                CoTBlock(widths[0], heads=heads))]
        for cin, cout, s in zip(widths[:-1], widths[1:], strides):
            stages.append(nn.Sequential(
                Conv2dBlock(cin, cin, 1, 1, 0, norm="bn", act="lrelu"),
                CoTBlock(cin, heads=heads),
                Conv2dBlock(cin, cout, 3, s, 1, norm="bn", act="lrelu")))
        self.stages = nn.Sequential(*stages)
        self.out_channels = widths[-1]

    def forward(self, x):
        return self.stages(x)


class ConvEncoder(nn.Module):
    """LoFGAN encoder: 5x5 conv then four strided 3x3 conv blocks."""

    def __init__(self, widths=(32, 64, 128, 128, 128), strides=(2, 2, 2, 2), heads=None):
        super().__init__()
        layers = [Conv2dBlock(3, widths[0], 5, 1, 2, norm="bn", act="lrelu")]
        for cin, cout, s in zip(widths[:-1], widths[1:], strides):
            layers.append(Conv2dBlock(cin, cout, 3, s, 1, norm="bn", act="lrelu"))
        self.stages = nn.Sequential(*layers)
        self.out_channels = widths[-1]

    def forward(self, x):
        return self.stages(x)


def build_encoder(kind, widths, strides, heads=4):
    if kind == "cot":
        return SAEncoder(widths, strides, heads)
    if kind == "conv":
        return ConvEncoder(widths, strides)
    raise ValueError(f"unknown encoder {kind!r} (cot | conv)")
