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
