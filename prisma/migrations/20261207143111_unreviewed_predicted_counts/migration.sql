-- Whether predicted boxes no human has reviewed yet (pre-labels) count in the balance, a dataset
-- setting like countPendingSynthetic. Counted by default, as they were until now.
ALTER TABLE "Dataset" ADD COLUMN "countUnreviewedPredicted" BOOLEAN NOT NULL DEFAULT true;

-- The counters keep the unreviewed predicted part beside the totals, so the balance leaves it out
-- or not without a recount: per (image, class) the unreviewed predicted boxes, per counter key
-- those boxes and the images whose boxes of the class are all of them.
ALTER TABLE "ImageClass" ADD COLUMN "unreviewedPredicted" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "ClassCounter" ADD COLUMN "unreviewedPredictedImages" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "unreviewedPredictedBoxes" INTEGER NOT NULL DEFAULT 0;

-- Back-fill from the boxes already there.
UPDATE "ImageClass" ic SET "unreviewedPredicted" = a.n
FROM (SELECT "imageId", "classId", count(*)::int AS n FROM "Annotation"
      WHERE source = 'PREDICTED' AND review = 'UNREVIEWED' GROUP BY 1, 2) a
WHERE ic."imageId" = a."imageId" AND ic."classId" = a."classId";

UPDATE "ClassCounter" cc
SET "unreviewedPredictedImages" = s.images, "unreviewedPredictedBoxes" = s.boxes
FROM (SELECT "datasetId", "classId", split, origin, "reviewState",
             count(*) FILTER (WHERE boxes = "unreviewedPredicted")::int AS images,
             sum("unreviewedPredicted")::int AS boxes
      FROM "ImageClass" WHERE "unreviewedPredicted" > 0 GROUP BY 1, 2, 3, 4, 5) s
WHERE cc."datasetId" = s."datasetId" AND cc."classId" = s."classId" AND cc.split = s.split
  AND cc.origin = s.origin AND cc."reviewState" = s."reviewState";
