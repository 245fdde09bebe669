"""Video templates for the gallery."""

from __future__ import annotations

from labelloom.core.plugin import TemplateSpec

GROUP = "Videos"


def _t(name: str, title: str, description: str, config: str) -> TemplateSpec:
    return TemplateSpec(name=f"video.{name}", title=title, group=GROUP, description=description, config=config)


TEMPLATES = [
    _t("classification", "Video Classification", "Say what a clip shows.", """<View>
  <Video name="video" value="$video"/>
  <Choices name="content" toName="video" choice="multiple" showInline="true">
    <Choice value="Outdoor"/>
    <Choice value="Indoor"/>
    <Choice value="People"/>
  </Choices>
</View>"""),
    _t("object-tracking", "Video Object Tracking", "Follow objects with boxes across frames.", """<View>
  <Labels name="videoLabels" toName="video" allowEmpty="true">
    <Label value="Man" background="blue"/>
    <Label value="Woman" background="red"/>
    <Label value="Other" background="green"/>
  </Labels>
  <Video name="video" value="$video" framerate="25.0"/>
  <VideoRectangle name="box" toName="video"/>
</View>"""),
    _t("timeline-segmentation", "Video Timeline Segmentation", "Mark the frames where actions happen.", """<View>
  <Video name="video" value="$video" frameRate="$fps" timelineHeight="80"/>
  <TimelineLabels name="actions" toName="video">
    <Label value="Jump"/>
    <Label value="Run"/>
  </TimelineLabels>
</View>"""),
]
