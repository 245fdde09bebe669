"""Time-series templates for the gallery (inline JSON data, so previews need no files)."""

from __future__ import annotations

from labelloom.core.plugin import TemplateSpec

GROUP = "Time Series Analysis"


def _t(name: str, title: str, description: str, config: str) -> TemplateSpec:
    return TemplateSpec(name=f"timeseries.{name}", title=title, group=GROUP, description=description, config=config)


TEMPLATES = [
    _t("segmentation", "Time Series Segmentation", "Mark stretches of a signal by activity.", """<View>
  <TimeSeriesLabels name="label" toName="ts">
    <Label value="Run" background="red"/>
    <Label value="Walk" background="green"/>
  </TimeSeriesLabels>
  <TimeSeries name="ts" value="$ts" valueType="json" timeColumn="time">
    <Channel column="velocity" strokeColor="#1f77b4" legend="Velocity"/>
    <Channel column="acceleration" strokeColor="#ff7f0e" legend="Acceleration"/>
  </TimeSeries>
</View>"""),
    _t("classification", "Time Series Classification", "Classify a whole signal.", """<View>
  <TimeSeries name="ts" value="$ts" valueType="json" timeColumn="time">
    <Channel column="signal" strokeColor="#17b" legend="Signal"/>
  </TimeSeries>
  <Choices name="pattern" toName="ts" showInline="true">
    <Choice value="Growth"/>
    <Choice value="Decrease"/>
    <Choice value="Stable"/>
  </Choices>
</View>"""),
    _t("change-points", "Change Point Detection", "Mark instants where the signal changes.", """<View>
  <TimeSeriesLabels name="change" toName="ts">
    <Label value="Change" background="#C46" />
  </TimeSeriesLabels>
  <TimeSeries name="ts" value="$ts" valueType="json" timeColumn="time">
    <MultiChannel height="300">
      <Channel column="sensor_a" strokeColor="#1f77b4"/>
      <Channel column="sensor_b" strokeColor="#ff7f0e"/>
    </MultiChannel>
  </TimeSeries>
</View>"""),
    _t("anomalies", "Outliers and Anomaly Detection", "Flag anomalous stretches and say why.", """<View>
  <TimeSeriesLabels name="anomaly" toName="ts">
    <Label value="Anomaly" background="red"/>
  </TimeSeriesLabels>
  <TimeSeries name="ts" value="$ts" valueType="json" timeColumn="time" overviewChannels="value">
    <Channel column="value" units="°C" displayFormat=",.1f" legend="Temperature"/>
  </TimeSeries>
  <TextArea name="reason" toName="ts" perRegion="true" rows="2"/>
</View>"""),
]
