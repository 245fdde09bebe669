"""The gallery template."""

from labelloom.core.plugin import TemplateSpec

from .tags import SAMPLE

CODE_REVIEW = """<View>
  <Header value="Mark the lines that need attention"/>
  <CodeLabels name="review" toName="code">
    <Label value="Bug" background="#e5484d"/>
    <Label value="Smell" background="#f5a524"/>
    <Label value="Nice" background="#30a46c"/>
  </CodeLabels>
  <Code name="code" value="$code" language="python"/>
</View>"""

TEMPLATES = [
    TemplateSpec(
        name="code.review",
        title="Code review: label line ranges",
        group="Source Code",
        description="Label ranges of lines in a source file (bugs, smells, good parts).",
        config=CODE_REVIEW,
        sample_task={"code": SAMPLE},
    ),
]
