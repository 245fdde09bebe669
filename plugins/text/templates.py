"""Natural-language, conversational, structured-data and ranking templates built on text tags."""

from __future__ import annotations

from labelloom.core.plugin import TemplateSpec

NLP = "Natural Language Processing"
CONVERSATION = "Conversational AI"
RANKING = "Ranking & Scoring"
STRUCTURED = "Structured Data Parsing"


def _t(name: str, title: str, group: str, description: str, config: str, **extra) -> TemplateSpec:
    return TemplateSpec(name=f"text.{name}", title=title, group=group, description=description, config=config, **extra)


TEMPLATES = [
    _t("classification", "Text Classification", NLP, "Sort texts into classes such as sentiment.", """<View>
  <Text name="text" value="$text"/>
  <View style="box-shadow: 2px 2px 5px #999; padding: 20px; margin-top: 2em; border-radius: 5px;">
    <Header value="Choose text sentiment"/>
    <Choices name="sentiment" toName="text" choice="single" showInline="true">
      <Choice value="Positive"/>
      <Choice value="Negative"/>
      <Choice value="Neutral"/>
    </Choices>
  </View>
</View>"""),
    _t("ner", "Named Entity Recognition", NLP, "Highlight people, places and organisations.", """<View>
  <Labels name="label" toName="text">
    <Label value="PER" background="red"/>
    <Label value="ORG" background="darkorange"/>
    <Label value="LOC" background="orange"/>
    <Label value="MISC" background="green"/>
  </Labels>
  <Text name="text" value="$text" granularity="word"/>
</View>""", sample_task={"text": "Anna lives in Paris and works for the city museum."}),
    _t("relation-extraction", "Relation Extraction", NLP, "Mark entities and the relations between them.", """<View>
  <Relations>
    <Relation value="works for"/>
    <Relation value="lives in"/>
  </Relations>
  <Labels name="label" toName="text">
    <Label value="Person" background="#FFA39E"/>
    <Label value="Organization" background="#D4380D"/>
    <Label value="Location" background="#FFC069"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""),
    _t("taxonomy", "Taxonomy", NLP, "Place a text in a hierarchy of topics.", """<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="taxonomy" toName="text">
    <Choice value="Archaea"/>
    <Choice value="Bacteria"/>
    <Choice value="Eukarya">
      <Choice value="Human"/>
      <Choice value="Oppossum"/>
      <Choice value="Extraterrestial"/>
    </Choice>
  </Taxonomy>
</View>"""),
    _t("question-answering", "Question Answering", NLP, "Select the answer to a question in a passage.", """<View>
  <Header value="Please read the passage"/>
  <Text name="text" value="$text" granularity="word"/>
  <Header value="Select a text span answering the following question:"/>
  <Text name="question" value="$question"/>
  <Labels name="answer" toName="text">
    <Label value="Answer" maxUsages="1" alias="Ans"/>
  </Labels>
</View>"""),
    _t("summarization", "Text Summarization", NLP, "Write a short summary of a text.", """<View>
  <Header value="Please read the text"/>
  <Text name="text" value="$text"/>
  <Header value="Provide one sentence summary"/>
  <TextArea name="answer" toName="text" showSubmitButton="true" maxSubmissions="1" editable="true" required="true"/>
</View>"""),
    _t("translation", "Machine Translation", NLP, "Translate a text, with shortcuts for special characters.", """<View>
  <View style="display: grid; grid-template-columns: 1fr 1fr; column-gap: 1em">
    <View>
      <Header value="Read the text in English"/>
      <Text name="text" value="$text"/>
    </View>
    <View>
      <Header value="Provide a translation in Spanish"/>
      <TextArea name="translation" toName="text" rows="5" editable="true" maxSubmissions="1">
        <Shortcut value="ñ" hotkey="alt+n"/>
      </TextArea>
    </View>
  </View>
</View>"""),
    _t("text-rating", "Text Quality Rating", NLP, "Rate texts and give a numeric toxicity score.", """<View>
  <Text name="text" value="$text"/>
  <Rating name="quality" toName="text" maxRating="5"/>
  <Number name="toxicity" toName="text" min="0" max="1" step="0.1" slider="true"/>
</View>"""),
    _t("html-ner", "HTML Entity Recognition", STRUCTURED, "Highlight entities inside web pages.", """<View>
  <HyperTextLabels name="ner" toName="text">
    <Label value="Person" background="green"/>
    <Label value="Organization" background="blue"/>
  </HyperTextLabels>
  <View style="border: 1px solid #CCC; border-radius: 10px; padding: 5px">
    <HyperText name="text" value="$text"/>
  </View>
</View>"""),
    _t("dialogue-intent", "Intent Classification and Slot Filling", CONVERSATION,
       "Mark slots in a dialogue and classify its intent.", """<View>
  <ParagraphLabels name="entity_slot" toName="dialogue">
    <Label value="Person"/>
    <Label value="Location"/>
  </ParagraphLabels>
  <Paragraphs name="dialogue" value="$dialogue" layout="dialogue" nameKey="author" textKey="text"/>
  <Choices name="intent" toName="dialogue" choice="single" showInline="true">
    <Choice value="Greeting"/>
    <Choice value="Customer request"/>
    <Choice value="Small talk"/>
  </Choices>
</View>"""),
    _t("response-generation", "Response Generation", CONVERSATION, "Write the next reply of a dialogue.", """<View>
  <Paragraphs name="chat" value="$dialogue" layout="dialogue"/>
  <Header value="Provide response"/>
  <TextArea name="response" toName="chat" rows="4" editable="true" maxSubmissions="1"/>
</View>"""),
    _t("coreference", "Coreference Resolution and Entity Linking", CONVERSATION,
       "Mark mentions and link the ones that refer to the same entity.", """<View>
  <Relations>
    <Relation value="coref"/>
  </Relations>
  <Labels name="mention" toName="text">
    <Label value="Noun" background="red"/>
    <Label value="Pronoun" background="darkorange"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""),
    _t("chat-evaluation", "Chatbot Conversation Review", CONVERSATION,
       "Read a chat transcript, add messages and grade the assistant.", """<View>
  <Chat name="chat" value="$messages"/>
  <Choices name="grade" toName="chat" choice="single" showInline="true">
    <Choice value="Helpful"/>
    <Choice value="Unhelpful"/>
  </Choices>
</View>"""),
    _t("pairwise", "Pairwise Classification", RANKING, "Choose the better of two answers.", """<View>
  <Header value="Which answer is better?"/>
  <Text name="left" value="$answer_a"/>
  <Text name="right" value="$answer_b"/>
  <Pairwise name="comparison" toName="left,right" selectionStyle="background-color: #eee"/>
</View>"""),
    _t("response-ranking", "Response Selection", RANKING, "Pick the best replies of a model to a prompt.", """<View>
  <Text name="prompt" value="$prompt"/>
  <Collapse accordion="false">
    <Panel value="Candidate replies">
      <Text name="reply" value="$reply"/>
    </Panel>
  </Collapse>
  <Choices name="accept" toName="reply" choice="multiple">
    <Choice value="Accurate"/>
    <Choice value="Polite"/>
    <Choice value="Concise"/>
  </Choices>
  <Filter name="filter" toName="accept" minlength="0" placeholder="Filter criteria"/>
</View>"""),
]
