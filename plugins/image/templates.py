"""Computer-vision templates for the gallery."""

from __future__ import annotations

from labelloom.core.plugin import TemplateSpec

GROUP = "Computer Vision"

TEMPLATES = [
    TemplateSpec(
        name="image.classification",
        title="Image Classification",
        group=GROUP,
        description="Pick one class for the whole image.",
        config="""<View>
  <Image name="image" value="$image" zoom="true"/>
  <Choices name="class" toName="image" choice="single-radio" showInline="true">
    <Choice value="Cat"/>
    <Choice value="Dog"/>
    <Choice value="Other"/>
  </Choices>
</View>""",
    ),
    TemplateSpec(
        name="image.object-detection",
        title="Object Detection with Bounding Boxes",
        group=GROUP,
        description="Draw boxes around objects and name each one.",
        config="""<View>
  <Image name="image" value="$image" zoom="true" zoomControl="true" rotateControl="true"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#FF8A00"/>
    <Label value="Person" background="#2D9CDB"/>
    <Label value="Bicycle" background="#27AE60"/>
  </RectangleLabels>
</View>""",
    ),
    TemplateSpec(
        name="image.polygon-segmentation",
        title="Semantic Segmentation with Polygons",
        group=GROUP,
        description="Outline object shapes with polygons.",
        config="""<View>
  <Header value="Outline every region"/>
  <Image name="image" value="$image" zoom="true"/>
  <PolygonLabels name="label" toName="image" strokeWidth="3" pointSize="small" opacity="0.9">
    <Label value="Building" background="#D4380D"/>
    <Label value="Road" background="#1D39C4"/>
  </PolygonLabels>
</View>""",
    ),
    TemplateSpec(
        name="image.mask-segmentation",
        title="Semantic Segmentation with Masks",
        group=GROUP,
        description="Paint pixel masks with a brush or the magic wand.",
        config="""<View>
  <Image name="image" value="$image" zoom="true" crossOrigin="anonymous"/>
  <BrushLabels name="tag" toName="image">
    <Label value="Sky" background="#5B8FF9"/>
    <Label value="Ground" background="#9C6644"/>
  </BrushLabels>
  <MagicWand name="magicwand" toName="image"/>
</View>""",
    ),
    TemplateSpec(
        name="image.keypoints",
        title="Keypoint Labeling",
        group=GROUP,
        description="Mark landmark points such as facial features.",
        config="""<View>
  <KeyPointLabels name="kp" toName="image" strokeWidth="2">
    <Label value="Left eye" background="#722ED1"/>
    <Label value="Right eye" background="#13C2C2"/>
    <Label value="Nose" background="#FA8C16"/>
  </KeyPointLabels>
  <Image name="image" value="$image" zoom="true"/>
</View>""",
    ),
    TemplateSpec(
        name="image.ocr",
        title="Optical Character Recognition",
        group=GROUP,
        description="Box text areas and transcribe each one.",
        config="""<View>
  <Image name="image" value="$ocr"/>
  <Labels name="label" toName="image">
    <Label value="Text" background="green"/>
    <Label value="Handwriting" background="blue"/>
  </Labels>
  <Rectangle name="bbox" toName="image" strokeWidth="3"/>
  <Polygon name="poly" toName="image" strokeWidth="3"/>
  <TextArea name="transcription" toName="image" editable="true" perRegion="true" required="true"
            maxSubmissions="1" rows="5" placeholder="Recognized text" displayMode="region-list"/>
</View>""",
    ),
    TemplateSpec(
        name="image.captioning",
        title="Image Captioning",
        group=GROUP,
        description="Write a sentence that describes the image.",
        config="""<View>
  <Image name="image" value="$captioning"/>
  <Header value="Describe the image:"/>
  <TextArea name="caption" toName="image" placeholder="Enter description here..." rows="5" maxSubmissions="1"/>
</View>""",
    ),
    TemplateSpec(
        name="image.visual-question-answering",
        title="Visual Question Answering",
        group=GROUP,
        description="Answer a question about the picture.",
        config="""<View>
  <Image name="image" value="$image"/>
  <Header value="$question"/>
  <TextArea name="answer" toName="image" rows="2" maxSubmissions="1"/>
</View>""",
    ),
    TemplateSpec(
        name="image.multi-page",
        title="Multi-page Document Annotation",
        group=GROUP,
        description="Classify and box regions across the pages of a document.",
        config="""<View>
  <Image name="pages" valueList="$pages"/>
  <RectangleLabels name="fields" toName="pages">
    <Label value="Signature"/>
    <Label value="Date"/>
  </RectangleLabels>
  <Choices name="doctype" toName="pages" perItem="true">
    <Choice value="Contract"/>
    <Choice value="Invoice"/>
  </Choices>
</View>""",
    ),
    TemplateSpec(
        name="image.detection-with-attributes",
        title="Object Detection with Attributes and Relations",
        group=GROUP,
        description="Boxes with a per-region attribute and relations between them.",
        config="""<View>
  <Image name="img" value="$image" zoom="true"/>
  <RectangleLabels name="box" toName="img">
    <Label value="Car" hotkey="c"/>
    <Label value="Person"/>
  </RectangleLabels>
  <Choices name="occluded" toName="img" perRegion="true" choice="single">
    <Choice value="yes"/>
    <Choice value="no"/>
  </Choices>
  <Relations>
    <Relation value="drives"/>
  </Relations>
</View>""",
    ),
    TemplateSpec(
        name="image.image-gallery",
        title="Content-based Image Retrieval",
        group="Ranking & Scoring",
        description="Judge how similar a set of images is to a query image.",
        config="""<View>
  <Image name="query" value="$query"/>
  <Repeater on="$candidates" indexFlag="{{idx}}">
    <Image name="candidate_{{idx}}" value="$candidates[{{idx}}]"/>
    <Choices name="similar_{{idx}}" toName="candidate_{{idx}}" showInline="true">
      <Choice value="Similar"/>
      <Choice value="Different"/>
    </Choices>
  </Repeater>
</View>""",
    ),
]
