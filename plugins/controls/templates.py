"""Gallery templates that need only this plugin's tags (ranking, structured data)."""

from __future__ import annotations

from labelloom.core.plugin import TemplateSpec

TEMPLATES = [
    TemplateSpec(
        name="controls.search-ranking",
        title="Search Page Ranking",
        group="Ranking & Scoring",
        description="Drag search results into the order a user would find most useful.",
        config="""<View>
  <Header value="Rank the results for the query"/>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results"/>
</View>""",
    ),
    TemplateSpec(
        name="controls.document-retrieval-buckets",
        title="Document Retrieval",
        group="Ranking & Scoring",
        description="Sort retrieved documents into relevant and not relevant buckets.",
        config="""<View>
  <List name="documents" value="$documents" title="Retrieved documents"/>
  <Ranker name="relevance" toName="documents">
    <Bucket name="relevant" title="Relevant"/>
    <Bucket name="irrelevant" title="Not relevant"/>
  </Ranker>
</View>""",
    ),
    TemplateSpec(
        name="controls.tabular-data",
        title="Tabular Data",
        group="Structured Data Parsing",
        description="Review a record shown as a table and classify it.",
        config="""<View>
  <Header value="Is this record complete and correct?"/>
  <Table name="record" value="$record"/>
  <Choices name="quality" toName="record" choice="single" showInline="true">
    <Choice value="Correct"/>
    <Choice value="Incomplete"/>
    <Choice value="Wrong"/>
  </Choices>
  <TextArea name="comment" toName="record" placeholder="What is wrong?" rows="2"/>
</View>""",
    ),
    TemplateSpec(
        name="controls.freeform-metadata",
        title="Freeform Metadata",
        group="Structured Data Parsing",
        description="Attach dates, numbers and a category path to a structured record.",
        config="""<View>
  <Table name="record" value="$record"/>
  <DateTime name="received" toName="record" only="date"/>
  <Number name="amount" toName="record" min="0" step="0.01"/>
  <Taxonomy name="category" toName="record">
    <Choice value="Finance">
      <Choice value="Invoice"/>
      <Choice value="Receipt"/>
    </Choice>
    <Choice value="Legal">
      <Choice value="Contract"/>
    </Choice>
  </Taxonomy>
</View>""",
    ),
    TemplateSpec(
        name="controls.record-scoring",
        title="Record Quality Scoring",
        group="Ranking & Scoring",
        description="Give a structured record a star rating.",
        config="""<View>
  <Table name="record" value="$record"/>
  <Rating name="score" toName="record" maxRating="5" icon="star" size="medium"/>
</View>""",
    ),
]
