import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import sharp from "sharp";
import {
  DEFECT_CLASSES,
  DEFECT_CLASS_NAMES,
  classWeights,
  composeScene,
  createRng,
  renderScene,
  runSynthCommand,
  toVocXml,
  writeVocDataset,
} from "./index.ts";
import type { SceneObject } from "./index.ts";

/** Tiny VOC reader for round-trip checks. */
function parseVoc(xml: string) {
  const tag = (src: string, name: string) => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(src);
    assert.ok(m, `missing <${name}>`);
    return m[1] as string;
  };
  const size = /<size>([\s\S]*?)<\/size>/.exec(xml)?.[1] ?? "";
  const objects = [...xml.matchAll(/<object>([\s\S]*?)<\/object>/g)].map((m) => {
    const o = m[1] as string;
    return {
      name: tag(o, "name"),
      truncated: Number(tag(o, "truncated")),
      difficult: Number(tag(o, "difficult")),
      bbox: {
        xmin: Number(tag(o, "xmin")),
        ymin: Number(tag(o, "ymin")),
        xmax: Number(tag(o, "xmax")),
        ymax: Number(tag(o, "ymax")),
      },
    };
  });
  return {
    filename: tag(xml, "filename"),
    width: Number(tag(size, "width")),
    height: Number(tag(size, "height")),
    depth: Number(tag(size, "depth")),
    objects,
  };
}

function countByClass(objects: SceneObject[], into: Map<string, number> = new Map()) {
  for (const o of objects) into.set(o.name, (into.get(o.name) ?? 0) + 1);
  return into;
}

describe("prng", () => {
  it("repeats for a seed and differs across seeds", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const sa = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      sa,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 5 }, () => c.next()),
    );
    for (const v of sa) assert.ok(v >= 0 && v < 1);
  });
});

describe("classes", () => {
  it("defines the eight defect classes with asset types and colours", () => {
    assert.equal(DEFECT_CLASSES.length, 8);
    for (const c of DEFECT_CLASSES) {
      assert.match(c.color, /^#[0-9a-f]{6}$/i);
      assert.ok(["insulator", "fitting", "conductor", "tower"].includes(c.assetType));
      assert.ok(c.title.length > 0);
    }
  });
});

describe("renderScene", () => {
  it("is deterministic: same seed gives identical bytes and boxes", async () => {
    const a = await renderScene(42);
    const b = await renderScene(42);
    assert.ok(a.png.equals(b.png));
    assert.deepEqual(a.objects, b.objects);
    const c = await renderScene(43);
    assert.ok(!a.png.equals(c.png));
    assert.notDeepEqual(a.objects, c.objects);
  });

  it("produces PNGs that decode at the stated size", async () => {
    for (const [width, height] of [
      [640, 480],
      [256, 256],
    ] as const) {
      const scene = await renderScene(5, width === 640 ? {} : { width, height });
      assert.equal(scene.width, width);
      assert.equal(scene.height, height);
      const meta = await sharp(scene.png).metadata();
      assert.equal(meta.format, "png");
      assert.equal(meta.width, width);
      assert.equal(meta.height, height);
      assert.equal(meta.channels, 3);
    }
  });

  it("keeps every box inside the image with positive area", () => {
    for (const size of [
      {},
      { width: 256, height: 256 },
      { width: 800, height: 300 },
      { width: 300, height: 600 },
    ]) {
      for (let seed = 0; seed < 60; seed++) {
        const s = composeScene(seed, { ...size, maxDefects: 5 });
        assert.ok(
          s.objects.some((o) => o.name !== "insulator"),
          `seed ${seed} has no defect`,
        );
        for (const o of s.objects) {
          const { xmin, ymin, xmax, ymax } = o.bbox;
          for (const v of [xmin, ymin, xmax, ymax]) assert.ok(Number.isInteger(v));
          assert.ok(
            xmin >= 0 && ymin >= 0 && xmax <= s.width && ymax <= s.height,
            `${o.name} out of image: ${JSON.stringify(o.bbox)}`,
          );
          assert.ok(xmax > xmin && ymax > ymin, `${o.name} has no area`);
        }
      }
    }
  });

  it("honours an explicit defect list and the normal-parts switch", () => {
    const s = composeScene(3, { defects: ["crack", "bird_nest"], includeNormalParts: false });
    assert.deepEqual(s.objects.map((o) => o.name).sort(), ["bird_nest", "crack"]);
    const withParts = composeScene(3, { defects: ["crack"] });
    assert.ok(withParts.objects.filter((o) => o.name === "insulator").length >= 2);
  });
});

describe("class distribution", () => {
  it("places all eight defect classes in a 200-image uniform run", () => {
    const counts = new Map<string, number>();
    let dropped = 0;
    for (let i = 0; i < 200; i++) {
      const s = composeScene(`uniform-${i}`, { distribution: "uniform" });
      countByClass(s.objects, counts);
      dropped += s.meta.dropped.length;
    }
    for (const name of DEFECT_CLASS_NAMES)
      assert.ok((counts.get(name) ?? 0) > 0, `${name} never appeared`);
    assert.equal(dropped, 0);
  });

  it("is long-tailed by default", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 300; i++) countByClass(composeScene(`tail-${i}`).objects, counts);
    const defectCounts = DEFECT_CLASS_NAMES.map((n) => counts.get(n) ?? 0);
    const max = Math.max(...defectCounts);
    const min = Math.min(...defectCounts);
    assert.ok(max >= 5 * Math.max(1, min), `head ${max} vs tail ${min}`);
  });

  it("builds weights from long-tail, uniform and explicit specs", () => {
    const lt = classWeights({ tailExponent: 1, classOrder: ["crack"] });
    assert.ok(Math.abs(lt.crack / lt.contamination - 2) < 1e-9);
    const u = classWeights({ distribution: "uniform" });
    for (const n of DEFECT_CLASS_NAMES) assert.ok(Math.abs(u[n] - 1 / 8) < 1e-12);
    const w = classWeights({ distribution: { bird_nest: 3, crack: 1 } });
    assert.equal(w.bird_nest, 0.75);
    assert.equal(w.missing_cap, 0);
    assert.throws(() => classWeights({ distribution: { nope: 1 } as never }));
  });
});

describe("VOC export", () => {
  it("round-trips a scene through toVocXml", async () => {
    const scene = await renderScene(9, { width: 256, height: 256 });
    const voc = parseVoc(
      toVocXml({
        filename: "000009.png",
        width: scene.width,
        height: scene.height,
        objects: scene.objects,
      }),
    );
    assert.equal(voc.filename, "000009.png");
    assert.deepEqual([voc.width, voc.height, voc.depth], [256, 256, 3]);
    assert.equal(voc.objects.length, scene.objects.length);
    voc.objects.forEach((o, i) => {
      const src = scene.objects[i] as SceneObject;
      assert.equal(o.name, src.name);
      // VOC is 1-based and inclusive; scene boxes are 0-based pixel edges.
      assert.deepEqual(o.bbox, {
        xmin: src.bbox.xmin + 1,
        ymin: src.bbox.ymin + 1,
        xmax: src.bbox.xmax,
        ymax: src.bbox.ymax,
      });
      assert.equal(o.truncated, src.truncated ? 1 : 0);
      assert.equal(o.difficult, 0);
    });
  });

  it("writes a complete dataset with a seeded 70/15/15 split", async () => {
    const out = await mkdtemp(join(tmpdir(), "scenes-voc-"));
    try {
      const progress: number[] = [];
      const summary = await writeVocDataset({
        out,
        images: 20,
        seed: 11,
        width: 256,
        height: 192,
        onProgress: (d) => progress.push(d),
      });
      assert.equal(summary.images, 20);
      assert.deepEqual(
        progress,
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      assert.deepEqual(summary.splits, { train: 14, val: 3, test: 3 });
      const pngs = (await readdir(join(out, "JPEGImages"))).sort();
      const xmls = (await readdir(join(out, "Annotations"))).sort();
      assert.equal(pngs.length, 20);
      assert.deepEqual(
        xmls,
        pngs.map((p) => p.replace(".png", ".xml")),
      );
      const counted = new Map<string, number>();
      for (const x of xmls) {
        const voc = parseVoc(await readFile(join(out, "Annotations", x), "utf8"));
        assert.equal(voc.filename, x.replace(".xml", ".png"));
        assert.deepEqual([voc.width, voc.height], [256, 192]);
        for (const o of voc.objects) counted.set(o.name, (counted.get(o.name) ?? 0) + 1);
      }
      for (const [name, n] of Object.entries(summary.boxesPerClass))
        assert.equal(counted.get(name) ?? 0, n, name);
      const sets = await Promise.all(
        ["train", "val", "test"].map(async (s) =>
          (await readFile(join(out, "ImageSets", "Main", `${s}.txt`), "utf8")).trim().split("\n"),
        ),
      );
      const all = sets.flat().sort();
      assert.deepEqual(
        all,
        pngs.map((p) => p.replace(".png", "")),
      );
      const classes = (await readFile(join(out, "classes.txt"), "utf8")).trim().split("\n");
      assert.deepEqual(classes, [...DEFECT_CLASS_NAMES, "insulator"]);
      const meta = await sharp(join(out, "JPEGImages", pngs[0] as string)).metadata();
      assert.deepEqual([meta.width, meta.height], [256, 192]);

      // Same seed, same dataset.
      const again = await mkdtemp(join(tmpdir(), "scenes-voc-"));
      try {
        await writeVocDataset({ out: again, images: 20, seed: 11, width: 256, height: 192 });
        for (const f of [
          "ImageSets/Main/train.txt",
          "Annotations/000007.xml",
          "JPEGImages/000013.png",
        ]) {
          assert.ok((await readFile(join(out, f))).equals(await readFile(join(again, f))), f);
        }
      } finally {
        await rm(again, { recursive: true, force: true });
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe("synth command", () => {
  it("renders a dataset from CLI arguments and rejects bad ones", async () => {
    const out = await mkdtemp(join(tmpdir(), "scenes-cli-"));
    const chunks: string[] = [];
    const sink = { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream;
    try {
      const code = await runSynthCommand(
        [
          "--out",
          out,
          "--images",
          "3",
          "--seed",
          "5",
          "--width",
          "128",
          "--height",
          "128",
          "--distribution",
          "uniform",
          "--quiet",
        ],
        { stdout: sink, stderr: sink },
      );
      assert.equal(code, 0);
      assert.match(chunks.join(""), /Wrote 3 images/);
      assert.equal((await readdir(join(out, "JPEGImages"))).length, 3);
      const prev = process.exitCode;
      assert.equal(await runSynthCommand(["--images", "3"], { stdout: sink, stderr: sink }), 2);
      assert.equal(
        await runSynthCommand(["--out", out, "--distribution", "bogus"], {
          stdout: sink,
          stderr: sink,
        }),
        2,
      );
      process.exitCode = prev;
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe("clean scenes", () => {
  it("renders the asked share of defect-free scenes (only insulator boxes), seeded", async () => {
    const out = await mkdtemp(join(tmpdir(), "scenes-clean-"));
    try {
      await writeVocDataset({ out, images: 12, seed: 3, width: 160, height: 120, cleanShare: 0.5 });
      let clean = 0;
      for (const x of await readdir(join(out, "Annotations"))) {
        const voc = parseVoc(await readFile(join(out, "Annotations", x), "utf8"));
        if (voc.objects.every((o) => o.name === "insulator")) clean++;
      }
      assert.ok(clean >= 3 && clean <= 9, `${clean} of 12 scenes are clean`);
      await assert.rejects(
        writeVocDataset({ out, images: 1, seed: 3, cleanShare: 2 }),
        /cleanShare must be in 0..1/,
      );
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
