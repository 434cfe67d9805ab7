import json
import math
import os

import pytest

torch = pytest.importorskip("torch")

from mvsa_gan import train as train_cli  # noqa: E402
from mvsa_gan.data import EpisodeSampler, load_pool  # noqa: E402
from mvsa_gan.trainer import Trainer  # noqa: E402


def _write_cfg(tmp_path, cfg_dict):
    yaml = pytest.importorskip("yaml")
    p = tmp_path / "tiny.yaml"
    p.write_text(yaml.safe_dump(cfg_dict))
    return str(p)


def test_ten_training_steps_keep_losses_finite(tmp_path, tiny_voc):
    from conftest import TINY

    out = tmp_path / "run"
    train_cli.main(["--config", _write_cfg(tmp_path, TINY), "--data", tiny_voc, "--out", str(out),
                    "--unseen", "nest", "--threads", "1"])
    rows = [json.loads(line) for line in (out / "losses.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [5, 10]
    for r in rows:
        assert all(math.isfinite(v) for v in r.values()), r
    assert (out / "checkpoints" / "last.pt").exists()
    assert (out / "samples" / "step000010.png").exists()
    assert (out / "losses.csv").read_text().count("\n") == 3
    import yaml
    cfg = yaml.safe_load((out / "config.yaml").read_text())
    assert cfg["classes"]["unseen"] == ["nest"] and cfg["classes"]["seen"] == ["cap", "crack"]
    # the unseen class never reaches the critic's class head
    sd = torch.load(out / "checkpoints" / "last.pt")
    assert sd["dis"]["cls.weight_orig"].shape[0] == 2


def test_resume_reproduces_next_step_exactly(tmp_path, tiny_voc, tiny_cfg):
    torch.set_num_threads(1)
    pool = load_pool(tiny_voc, 16, 0.25, 4, 0.25)
    sampler = EpisodeSampler(pool, pool.classes, 3)

    def step(tr):
        imgs, labels = sampler.sample(2, tr.rng)
        return tr.train_step(imgs, labels)

    a = Trainer(tiny_cfg, 3)
    for _ in range(3):
        step(a)
    path = os.path.join(tmp_path, "ck.pt")
    torch.save(a.state_dict(), path)
    want = step(a)  # step 4 contains a gradient-penalty step (gp_every=1) and the lr schedule

    b = Trainer({**tiny_cfg, "seed": 123}, 3)  # different init, overwritten by the checkpoint
    b.load_state_dict(torch.load(path))
    got = step(b)
    assert got == want
    for (n, p), (_, q) in zip(a.gen.state_dict().items(), b.gen.state_dict().items()):
        assert torch.equal(p, q), n
    for (n, p), (_, q) in zip(a.dis.state_dict().items(), b.dis.state_dict().items()):
        assert torch.equal(p, q), n


def _sampler(tiny_voc):
    pool = load_pool(tiny_voc, 16, 0.25, 4, 0.25)
    return EpisodeSampler(pool, pool.classes, 3)


def test_fixed_seed_reproduces_a_training_step(tiny_voc, tiny_cfg):
    torch.set_num_threads(1)
    sampler = _sampler(tiny_voc)
    runs = []
    for _ in range(2):
        tr = Trainer(tiny_cfg, 3)
        imgs, labels = sampler.sample(2, tr.rng)
        runs.append((tr.train_step(imgs, labels), tr))
    (la, a), (lb, b) = runs
    assert la == lb
    for (n, p), (_, q) in zip(a.gen_ema.state_dict().items(), b.gen_ema.state_dict().items()):
        assert torch.equal(p, q), n
    # a different seed is a different step
    c = Trainer({**tiny_cfg, "seed": 7}, 3)
    imgs, labels = sampler.sample(2, c.rng)
    assert c.train_step(imgs, labels) != la


def test_warm_start_trains_only_the_generator_on_reconstruction(tiny_voc, tiny_cfg):
    torch.set_num_threads(1)
    tiny_cfg["train"]["recon_warmup"] = 1
    sampler = _sampler(tiny_voc)
    tr = Trainer(tiny_cfg, 3)
    before = {n: p.clone() for n, p in tr.dis.state_dict().items()}
    imgs, labels = sampler.sample(2, tr.rng)
    first = tr.train_step(imgs, labels)
    assert first["d_loss"] == 0.0 and first["g_adv"] == 0.0 and first["g_loss"] == pytest.approx(5.0 * first["g_rec"], rel=1e-6)  # float32 sum
    assert all(torch.equal(before[n], p) for n, p in tr.dis.state_dict().items())
    imgs, labels = sampler.sample(2, tr.rng)
    assert tr.train_step(imgs, labels)["d_loss"] > 0  # the adversarial phase follows


def test_lr_decays_to_zero_at_max_iter():
    from mvsa_gan.trainer import linear_decay

    f = linear_decay(100, 0.5)
    assert f(0) == 1.0 and f(49) == 1.0 and f(75) == 0.5 and f(100) == 0.0


def test_the_ema_generator_is_what_gets_exported(tmp_path, tiny_voc):
    from conftest import TINY
    from mvsa_gan.export import load_run, write_fixture
    from mvsa_gan.model import build_models

    out = tmp_path / "run"
    train_cli.main(["--config", _write_cfg(tmp_path, {**TINY, "train": {**TINY["train"], "max_iter": 4}}),
                    "--data", tiny_voc, "--out", str(out), "--unseen", "nest", "--threads", "1"])
    sd = torch.load(out / "checkpoints" / "last.pt")
    cfg, gen, dis, step = load_run(str(out))
    assert step == 4
    for n, p in gen.state_dict().items():
        assert torch.equal(p, sd["gen_ema"][n]), n
    assert any(not torch.equal(sd["gen"][n], sd["gen_ema"][n]) for n in sd["gen"] if n.endswith("weight"))
    # the parity fixture (which the ONNX files are checked against) holds the EMA generator's output
    fx = json.loads(open(write_fixture(gen, dis, cfg, str(tmp_path))).read())
    case = fx["cases"][0]
    import base64
    import numpy as np

    def dec(t):
        return torch.from_numpy(np.frombuffer(base64.b64decode(t["b64"]), t["dtype"]).reshape(t["shape"]).copy())
    x, c, p = (dec(case["inputs"][k]) for k in ("images", "coefficients", "positions"))
    raw, _ = build_models(cfg, len(cfg["classes"]["seen"]))
    raw.load_state_dict(sd["gen"])
    with torch.no_grad():
        assert torch.allclose(gen(x, c, p)[0], dec(case["outputs"]["image"]), atol=1e-6)
        assert not torch.allclose(raw.eval()(x, c, p)[0], dec(case["outputs"]["image"]), atol=1e-4)
