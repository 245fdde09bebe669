"""Audio and speech templates for the gallery."""

from __future__ import annotations

from labelloom.core.plugin import TemplateSpec

GROUP = "Audio/Speech Processing"


def _t(name: str, title: str, description: str, config: str, group: str = GROUP) -> TemplateSpec:
    return TemplateSpec(name=f"audio.{name}", title=title, group=group, description=description, config=config)


TEMPLATES = [
    _t("classification", "Audio Classification", "Say what a recording contains.", """<View>
  <Header value="Listen to the audio"/>
  <Audio name="audio" value="$audio"/>
  <Choices name="class" toName="audio" choice="single-radio" showInline="true">
    <Choice value="Speech"/>
    <Choice value="Music"/>
    <Choice value="Noise"/>
  </Choices>
</View>"""),
    _t("speaker-segmentation", "Speaker Segmentation", "Mark who speaks when.", """<View>
  <Labels name="speaker" toName="audio" zoom="true" hotkey="ctrl+enter">
    <Label value="Speaker one" background="#00FF00"/>
    <Label value="Speaker two" background="#12ad59"/>
  </Labels>
  <Audio name="audio" value="$audio"/>
</View>"""),
    _t("transcription", "Automatic Speech Recognition", "Type what is said in a recording.", """<View>
  <Audio name="audio" value="$audio" zoom="true" hotkey="ctrl+enter"/>
  <Header value="Provide Transcription"/>
  <TextArea name="transcription" toName="audio" rows="4" editable="true" maxSubmissions="1"/>
</View>"""),
    _t("segment-transcription", "Speech Recognition using Segments", "Transcribe each segment of speech.", """<View>
  <Labels name="labels" toName="audio">
    <Label value="Speech"/>
    <Label value="Noise"/>
  </Labels>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcription" toName="audio" rows="2" editable="true" perRegion="true" required="true"/>
</View>"""),
    _t("sound-events", "Sound Event Detection", "Mark the moments particular sounds occur.", """<View>
  <Labels name="event" toName="audio" choice="multiple">
    <Label value="Dog bark"/>
    <Label value="Siren"/>
    <Label value="Glass breaking"/>
  </Labels>
  <AudioPlus name="audio" value="$audio" splitChannels="true"/>
</View>"""),
    _t("signal-quality", "Signal Quality Detection", "Rate the quality of a recording.", """<View>
  <Audio name="audio" value="$audio"/>
  <Rating name="quality" toName="audio" maxRating="10" icon="star" size="medium"/>
</View>"""),
    _t("voice-intent", "Intent Classification", "Classify the intent of spoken requests.", """<View>
  <Labels name="labels" toName="audio">
    <Label value="Segment"/>
  </Labels>
  <Audio name="audio" value="$audio"/>
  <Choices name="intent" toName="audio" perRegion="true" required="true">
    <Choice value="Question"/>
    <Choice value="Request"/>
    <Choice value="Satisfied"/>
  </Choices>
</View>""", group="Conversational AI"),
]
