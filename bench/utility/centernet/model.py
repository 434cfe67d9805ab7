"""A compact CenterNet: a five-stage conv backbone (stride 32), a top-down path with lateral 1x1
connections back to stride 4, and three heads at stride 4: class heatmap (C), box size (2, in
input pixels / stride) and centre offset (2, the sub-cell remainder). Trained from scratch."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

STRIDE = 4


def conv_bn(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class CenterNet(nn.Module):
    def __init__(self, num_classes, widths=(16, 32, 48, 64, 96), head_width=32):
        super().__init__()
        self.num_classes = num_classes
        stages, cin = [], 3
        for w in widths:  # each stage halves the resolution: stride 2, 4, 8, 16, 32
            stages.append(nn.Sequential(conv_bn(cin, w, 2), conv_bn(w, w)))
            cin = w
        self.stages = nn.ModuleList(stages)
        top = widths[1]  # the top-down path ends at stride 4, with stage 2's width
        self.lateral = nn.ModuleList([nn.Conv2d(w, top, 1) for w in widths[1:]])
        self.smooth = conv_bn(top, head_width)
        self.heatmap = nn.Conv2d(head_width, num_classes, 1)
        self.size = nn.Conv2d(head_width, 2, 1)
        self.offset = nn.Conv2d(head_width, 2, 1)
        # CenterNet's prior: start every cell at p = 0.1 so the focal loss is not swamped at step 0
        nn.init.constant_(self.heatmap.bias, -math.log((1 - 0.1) / 0.1))

    def forward(self, x):
        """x [B, 3, H, W] normalised -> heatmap logits [B, C, H/4, W/4], size [B, 2, ...], offset [B, 2, ...]"""
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        y = self.lateral[-1](feats[-1])
        for lat, f in zip(reversed(self.lateral[:-1]), reversed(feats[1:-1])):
            # x2 then crop: odd sizes (240 px -> 15 -> 8 rows) round up on the way down; a fixed
            # x2 Resize plus a slice keeps the exported graph independent of the input size
            y = F.interpolate(y, scale_factor=2.0, mode="nearest")[:, :, :f.shape[2], :f.shape[3]] + lat(f)
        y = self.smooth(y)
        return self.heatmap(y), self.size(y), self.offset(y)


MEAN = torch.tensor([0.45, 0.45, 0.45]).reshape(1, 3, 1, 1)
STD = torch.tensor([0.25, 0.25, 0.25]).reshape(1, 3, 1, 1)


def normalise(images):
    """RGB in [0, 1] -> network input."""
    return (images - MEAN) / STD
