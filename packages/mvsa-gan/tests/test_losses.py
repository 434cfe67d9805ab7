import pytest

torch = pytest.importorskip("torch")

from mvsa_gan.diffaugment import diff_augment  # noqa: E402
from mvsa_gan.losses import class_gradient_penalty, reconstruction_loss, reconstruction_target  # noqa: E402
from mvsa_gan.model import Generator, sample_fusion_inputs  # noqa: E402
from mvsa_gan.networks import Discriminator  # noqa: E402


def _nearest(img, pos, grid):
    """The pixel nearest the centre-ish of grid cell pos (what F.interpolate 'nearest' samples)."""
    h = img.shape[-1]
    r, c = divmod(int(pos), grid)
    return img[:, (r * h) // grid, (c * h) // grid]


def test_reconstruction_target_is_the_fusion_applied_to_real_pixels(tiny_cfg):
    torch.manual_seed(0)
    m, grid = tiny_cfg["model"], tiny_cfg["model"]["grid"]
    gen = Generator(m)
    x = torch.rand(2, 3, 3, 16, 16) * 2 - 1
    c, p = sample_fusion_inputs(2, 3, grid, m["n_positions"])
    fake, fusion = gen.generate_with_fusion(x, c, p)
    target = reconstruction_target(x, fusion, c, p, grid)
    assert target.shape == (2, 3, m["n_positions"])
    tau, b, ref_idx = fusion["tau"], fusion["b"], fusion["ref_idx"]
    for i in range(2):
        for j, pos in enumerate(p[i].tolist()):
            local = c[i, 0] * _nearest(x[i, 0], pos, grid)
            local = local + sum(c[i, r] * _nearest(x[i, r], ref_idx[i, r - 1, j], grid) for r in (1, 2))
            glob = sum(b[i, r] * _nearest(x[i, r], pos, grid) for r in range(3))
            want = ((1 - tau[i]) * local + glob) / ((1 - tau[i]) + b[i].sum())
            assert torch.allclose(target[i, :, j], want, atol=1e-6)
    # local-only models: the target is LoFGAN's plain local mix
    loc = reconstruction_target(x, {**fusion, "tau": None, "b": None}, c, p, grid)
    i, j, pos = 0, 0, p[0, 0].item()
    want = c[0, 0] * _nearest(x[0, 0], pos, grid) + sum(
        c[0, r] * _nearest(x[0, r], ref_idx[0, r - 1, 0], grid) for r in (1, 2))
    assert torch.allclose(loc[0, :, 0], want, atol=1e-6)
    # the loss reads the generated image at the same pixels, and only at the fused positions
    assert reconstruction_loss(fake, target, p, grid).item() > 0
    painted = fake.detach().clone()
    for i in range(2):
        for j, pos in enumerate(p[i].tolist()):
            r, col = divmod(pos, grid)
            painted[i, :, (r * 16) // grid, (col * 16) // grid] = target[i, :, j]
    assert reconstruction_loss(painted, target.detach(), p, grid).item() < 1e-6


def test_gradient_penalty_is_on_the_true_class_logit():
    torch.manual_seed(0)
    dis = Discriminator(3, 8, 1)
    x = (torch.rand(4, 3, 16, 16) * 2 - 1).requires_grad_(True)
    y = torch.tensor([0, 1, 2, 1])
    _, logits, _ = dis(x)
    gp = class_gradient_penalty(logits, y, x)
    manual = sum(torch.autograd.grad(logits[i, y[i]], x, retain_graph=True)[0][i].pow(2).sum() for i in range(4)) / 4
    assert torch.allclose(gp, manual, rtol=1e-5)
    # the realism head does not enter it: a different realism head leaves the penalty unchanged
    with torch.no_grad():
        dis.adv.weight_orig.mul_(-5.0)
    dis.eval()  # keep the spectral-norm estimate fixed between the two passes
    x2 = x.detach().clone().requires_grad_(True)
    gp_a = class_gradient_penalty(dis(x2)[1], y, x2)
    with torch.no_grad():
        dis.adv.weight_orig.normal_()
    x3 = x.detach().clone().requires_grad_(True)
    assert torch.allclose(class_gradient_penalty(dis(x3)[1], y, x3), gp_a)


def test_diffaugment_changes_images_differentiably_and_is_off_when_empty():
    g = torch.Generator().manual_seed(0)
    x = (torch.rand(4, 3, 16, 16) * 2 - 1).requires_grad_(True)
    assert diff_augment(x, "", g) is x
    y = diff_augment(x, "color,translation,cutout", g)
    assert y.shape == x.shape and not torch.allclose(y, x)
    y.sum().backward()
    assert x.grad.abs().sum() > 0
    # cutout zeroes a square of half the side in every image (clipped at the border: >= a quarter of it)
    z = diff_augment(torch.ones(4, 3, 16, 16), "cutout", g)
    assert ((z == 0).float().mean(dim=(1, 2, 3)) >= 0.0625).all()
    # same generator state, same augmentation (resumable training)
    a = diff_augment(x.detach(), "color,translation,cutout", torch.Generator().manual_seed(5))
    b = diff_augment(x.detach(), "color,translation,cutout", torch.Generator().manual_seed(5))
    assert torch.equal(a, b)
