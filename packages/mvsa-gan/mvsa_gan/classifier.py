"""Small CNN used twice by the evaluation: as the in-domain feature extractor (FD_dom, diversity,
memorisation) and as the downstream defect classifier."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCNN(nn.Module):
    def __init__(self, num_classes, width=16, feat_dim=64):
        super().__init__()
        w = width
        chans = [3, w, 2 * w, 4 * w, feat_dim]
        layers = []
        for a, b in zip(chans[:-1], chans[1:]):
            layers += [nn.Conv2d(a, b, 3, padding=1, bias=False), nn.BatchNorm2d(b), nn.ReLU(), nn.MaxPool2d(2)]
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(feat_dim, num_classes)

    def features(self, x):
        return self.body(x).mean(dim=(2, 3))

    def forward(self, x):
        return self.head(self.features(x))


def augment(x, gen):
    """Classic augmentation on [-1,1] tensors: h-flip, random resized crop (scale 0.7-1),
    brightness/contrast jitter. Used for on-the-fly augmentation and for copy-and-augment."""
    n, _, h, w = x.shape
    out = torch.empty_like(x)
    for i in range(n):
        xi = x[i]
        if torch.rand((), generator=gen) < 0.5:
            xi = xi.flip(-1)
        s = 0.7 + 0.3 * torch.rand((), generator=gen).item()
        ch, cw = max(4, int(h * s)), max(4, int(w * s))
        t = int(torch.randint(h - ch + 1, (), generator=gen))
        l = int(torch.randint(w - cw + 1, (), generator=gen))
        xi = F.interpolate(xi[None, :, t:t + ch, l:l + cw], size=(h, w), mode="bilinear", align_corners=False)[0]
        b = (torch.rand((), generator=gen) - 0.5) * 0.4
        c = 1 + (torch.rand((), generator=gen) - 0.5) * 0.4
        out[i] = ((xi - xi.mean()) * c + xi.mean() + b).clamp(-1, 1)
    return out


def train_classifier(x, y, num_classes, steps=200, batch=32, lr=2e-3, seed=0, balanced=True, aug=False):
    """x float [-1,1] [N,3,H,W], y long [N]. Class-balanced sampling by default."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = SmallCNN(num_classes)
    opt = torch.optim.Adam(model.parameters(), lr, weight_decay=1e-4)
    if balanced:
        counts = torch.bincount(y, minlength=num_classes).float().clamp(min=1)
        weights = (1.0 / counts)[y]
    else:
        weights = torch.ones(len(y))
    model.train()
    for _ in range(steps):
        idx = torch.multinomial(weights, batch, replacement=True, generator=gen)
        xb = augment(x[idx], gen) if aug else x[idx]
        loss = F.cross_entropy(model(xb), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


@torch.no_grad()
def features(model, x, batch=256):
    model.eval()
    return torch.cat([model.features(x[i:i + batch]) for i in range(0, len(x), batch)]).numpy().astype(np.float64)


@torch.no_grad()
def predict(model, x, batch=256):
    model.eval()
    return torch.cat([model(x[i:i + batch]).argmax(1) for i in range(0, len(x), batch)]).numpy()
