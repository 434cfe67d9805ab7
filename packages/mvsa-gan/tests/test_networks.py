import pytest

torch = pytest.importorskip("torch")

from mvsa_gan.model import Generator, build_models, sample_fusion_inputs  # noqa: E402
from mvsa_gan.networks import (GLFM, CoTBlock, ConvEncoder, Decoder, Discriminator,  # noqa: E402
                               GlobalTransformer, LocalFusion, SAEncoder)


def test_module_shapes(tiny_cfg):
    torch.manual_seed(0)
    m = tiny_cfg["model"]
    assert CoTBlock(8)(torch.randn(2, 8, 16, 16)).shape == (2, 8, 16, 16)
    for enc in (SAEncoder(m["widths"], m["strides"]), ConvEncoder(m["widths"], m["strides"])):
        assert enc(torch.randn(6, 3, 16, 16)).shape == (6, 16, 4, 4)
    feats = torch.randn(2, 3, 16, 4, 4)
    c, p = sample_fusion_inputs(2, 3, 4, m["n_positions"])
    f, ref_idx = LocalFusion()(feats, c, p)
    assert f.shape == (2, 16, 4, 4) and ref_idx.shape == (2, 2, m["n_positions"])
    assert GlobalTransformer(16, 3, 4)(feats).shape == feats.shape
    assert GLFM(16, 3, 4)(feats, c, p)[0].shape == (2, 16, 4, 4)
    assert Decoder(m["decoder"], 16)(f).shape == (2, 3, 16, 16)
    r, lg, ft = Discriminator(5, 8, 1)(torch.randn(4, 3, 16, 16))
    assert r.shape == (4,) and lg.shape == (4, 5) and ft.shape[0] == 4 and ft.dim() == 2
    img, _ = Generator(m)(torch.rand(2, 3, 3, 16, 16) * 2 - 1, c, p)
    assert img.shape == (2, 3, 16, 16) and img.abs().max() <= 1


@pytest.mark.parametrize("encoder,use_global", [("cot", True), ("conv", False)])
def test_gradients_reach_every_parameter(tiny_cfg, encoder, use_global):
    torch.manual_seed(0)
    tiny_cfg["model"].update(encoder=encoder, global_fusion=use_global)
    gen, dis = build_models(tiny_cfg, 3)
    c, p = sample_fusion_inputs(2, 3, 4, tiny_cfg["model"]["n_positions"])
    img, _ = gen(torch.rand(2, 3, 3, 16, 16) * 2 - 1, c, p)
    r, lg, ft = dis(img)
    (r.sum() + lg.sum() + ft.sum()).backward()
    for name, mod in (("gen", gen), ("dis", dis)):
        dead = [n for n, q in mod.named_parameters() if q.grad is None or q.grad.abs().sum() == 0]
        assert not dead, f"{name} parameters without gradient: {dead}"


def test_one_hot_base_coefficients_pass_base_through():
    torch.manual_seed(0)
    feats = torch.randn(3, 3, 16, 4, 4)
    _, p = sample_fusion_inputs(3, 3, 4, 8)
    base_only = torch.tensor([[1.0, 0.0, 0.0]]).repeat(3, 1)
    out, _ = LocalFusion()(feats, base_only, p)
    assert torch.equal(out, feats[:, 0])
    # and the fusion is not a no-op otherwise: all weight on reference 1 changes exactly the
    # selected positions, to the matched reference vectors
    out, ref_idx = LocalFusion()(feats, torch.tensor([[0.0, 1.0, 0.0]]).repeat(3, 1), p)
    flat_out, flat_base, flat_ref = out.flatten(2), feats[:, 0].flatten(2), feats[:, 1].flatten(2)
    for b in range(3):
        sel = set(p[b].tolist())
        for pos in range(16):
            if pos in sel:
                j = p[b].tolist().index(pos)
                assert torch.equal(flat_out[b, :, pos], flat_ref[b, :, ref_idx[b, 0, j]])
            else:
                assert torch.equal(flat_out[b, :, pos], flat_base[b, :, pos])


def test_matching_picks_most_similar_reference_position():
    feats = torch.zeros(1, 2, 2, 2, 2)                    # B=1, K=2, C=2, 2x2 grid
    feats[0, 0, :, 0, 0] = torch.tensor([1.0, 0.0])      # base position 0 points along x
    ref = torch.tensor([[0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [2.0, 0.1]])  # positions 0..3
    feats[0, 1] = ref.t().reshape(2, 2, 2)
    _, ref_idx = LocalFusion()(feats, torch.tensor([[0.5, 0.5]]), torch.tensor([[0]]))
    assert ref_idx.item() == 3                            # highest cosine similarity, not distance


def test_tau_and_b_are_functions_of_the_input():
    torch.manual_seed(0)
    glfm = GLFM(16, 3, 4)
    f1, f2 = torch.randn(2, 3, 16, 4, 4), torch.randn(2, 3, 16, 4, 4) * 3 + 1
    tau1, b1 = glfm.mix_weights(f1)
    tau2, b2 = glfm.mix_weights(f2)
    assert tau1.shape == (2,) and b1.shape == (2, 3)
    assert ((tau1 > 0) & (tau1 < 1)).all() and ((b1 > 0) & (b1 < 1)).all()
    assert not torch.allclose(tau1, tau2) and not torch.allclose(b1, b2)
    # different samples of one batch get different weights, and they carry gradient to the input
    assert not torch.allclose(b1[0], b1[1])
    f = f1.clone().requires_grad_(True)
    tau, b = glfm.mix_weights(f)
    (tau.sum() + b[:, 1].sum()).backward()
    assert f.grad.abs().sum() > 0


def test_b_is_independent_of_tau():
    torch.manual_seed(0)
    glfm = GLFM(16, 3, 4)
    f = torch.randn(2, 3, 16, 4, 4)
    tau, b = glfm.mix_weights(f)
    assert not torch.allclose(b.sum(1), tau)
    # moving tau's head moves tau only; the global weights b stay where they were
    with torch.no_grad():
        glfm.tau_head.bias += 3.0
    tau2, b2 = glfm.mix_weights(f)
    assert (tau2 > tau).all() and torch.equal(b2, b)
    glfm.zero_grad()
    glfm.mix_weights(f)[1].sum().backward()
    assert glfm.tau_head.weight.grad is None or glfm.tau_head.weight.grad.abs().sum() == 0


def test_cot_block_is_residual_with_normalised_dynamic_context():
    torch.manual_seed(0)
    block = CoTBlock(8).eval()
    assert isinstance(block.dynamic_norm[0], torch.nn.BatchNorm2d)
    assert isinstance(block.dynamic_norm[1], torch.nn.ReLU)
    x = torch.randn(2, 8, 6, 6)
    # with the key and value embeddings silenced, both contexts are 0 and the block is the identity
    with torch.no_grad():
        block.key_embed[0].weight.zero_()
        block.value_embed[0].weight.zero_()
    assert torch.allclose(block(x), x)


def test_encoder_64_reaches_8x8_with_growing_width():
    from mvsa_gan.config import load_config
    import os
    cfgs = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "configs")
    for name in ("mvsa64.yaml", "lofgan64.yaml"):
        m = load_config(os.path.join(cfgs, name))["model"]
        assert m["grid"] == 8 and m["strides"][-1] == 2, name
        assert all(a < b for a, b in zip(m["widths"], m["widths"][1:])), name
    m = load_config(os.path.join(cfgs, "mvsa64.yaml"))["model"]
    enc = SAEncoder(m["widths"], m["strides"], m["heads"])
    assert enc(torch.randn(1, 3, 64, 64)).shape == (1, m["widths"][-1], 8, 8)
