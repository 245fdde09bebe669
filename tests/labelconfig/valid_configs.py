"""Valid labeling configs, written from Label Studio's tag documentation, one per tag family."""

VALID = {
    # -- structure, variables, spelling ---------------------------------------------------------
    "minimal": '<View><Text name="t" value="$text"/><Choices name="c" toName="t"><Choice value="A"/></Choices></View>',
    "xml-declaration": '<?xml version="1.0" encoding="UTF-8"?>\n<View><Text name="t" value="$text"/></View>',
    "lower-case-tags-and-attributes": (
        '<view><text name="t" value="$text"/>'
        '<choices name="c" toname="t" CHOICE="multiple"><choice value="A"/></choices></view>'
    ),
    "view-attributes": (
        '<View style="display: flex" className="main" idAttr="root" display="block">'
        '<View visibleWhen="choice-selected" whenTagName="c" whenChoiceValue="A">'
        '<Header value="Shown for A"/></View>'
        '<Text name="t" value="$text"/><Choices name="c" toName="t"><Choice value="A"/></Choices></View>'
    ),
    "dotted-and-indexed-variables": (
        '<View><Text name="t" value="$doc.body"/><Image name="i" value="$pictures[0].url"/>'
        '<Header value="Title: $doc.title ($meta.source)"/>'
        '<Choices name="c" toName="t"><Choice value="A"/></Choices></View>'
    ),
    "unknown-attributes-kept": (
        '<View><Text name="t" value="$text" data-note="legacy"/>'
        '<Choices name="c" toName="t" someFutureFlag="on"><Choice value="A"/></Choices></View>'
    ),
    "json-sample-comment": (
        '<View><!-- {"data": {"text": "Hello"}} --><Text name="t" value="$text"/></View>'
    ),
    "static-object-value": '<View><Text name="intro" value="Read carefully."/><Text name="t" value="$text"/></View>',
    "repeater": (
        '<View><Repeater on="$images" indexFlag="{{idx}}">'
        '<Image name="img_{{idx}}" value="$images[{{idx}}].url"/>'
        '<RectangleLabels name="box_{{idx}}" toName="img_{{idx}}"><Label value="Car"/></RectangleLabels>'
        "</Repeater></View>"
    ),
    "repeater-pagination-custom-flag": (
        '<View><Repeater on="$pages" indexFlag="{{i}}" mode="pagination">'
        '<Text name="page_{{i}}" value="$pages[{{i}}]"/>'
        '<Choices name="ok_{{i}}" toName="page_{{i}}"><Choice value="OK"/></Choices>'
        "</Repeater></View>"
    ),
    # -- visual tags ----------------------------------------------------------------------------
    "header-variants": (
        '<View><Header value="Static" size="2" underline="true" style="color: red"/>'
        '<Header value="$title"/><Header>Text body header</Header><Text name="t" value="$text"/></View>'
    ),
    "style-tag": (
        "<View><Style>.big { font-size: 20px; } .box { border: 1px solid #ccc; }</Style>"
        '<View className="big"><Text name="t" value="$text"/></View></View>'
    ),
    "collapse-panels": (
        '<View><Collapse accordion="false" bordered="true">'
        '<Panel value="Source"><Text name="t" value="$text"/></Panel>'
        '<Panel value="Answer"><TextArea name="a" toName="t"/></Panel></Collapse></View>'
    ),
    "filter": (
        '<View><Filter name="f" toName="lbl" minlength="0" placeholder="Find a label" hotkey="shift+f"/>'
        '<Labels name="lbl" toName="t"><Label value="A"/><Label value="B"/></Labels>'
        '<Text name="t" value="$text"/></View>'
    ),
    "markdown": '<View><Markdown value="**Read** the $kind"/><Markdown>Plain *body*</Markdown><Text name="t" value="$text"/></View>',
    "table-object": (
        '<View><Table name="tbl" value="$record"/>'
        '<Choices name="ok" toName="tbl"><Choice value="Valid"/><Choice value="Invalid"/></Choices></View>'
    ),
    # -- choices family -------------------------------------------------------------------------
    "choices-single-radio-inline": (
        '<View><Text name="t" value="$text"/><Choices name="c" toName="t" choice="single-radio" '
        'showInline="true" layout="inline"><Choice value="A" hotkey="1"/><Choice value="B" alias="b" '
        'hint="second" html="&lt;b&gt;B&lt;/b&gt;" style="color: red" selected="true"/></Choices></View>'
    ),
    "choices-multiple-required": (
        '<View><Text name="t" value="$text"/><Choices name="c" toName="t" choice="multiple" required="true" '
        'requiredMessage="Pick one"><Choice value="A"/><Choice value="B"/></Choices></View>'
    ),
    "choices-select-layout": (
        '<View><Text name="t" value="$text"/><Choices name="c" toName="t" layout="select">'
        '<Choice value="A"/><Choice value="B"/></Choices></View>'
    ),
    "choices-dynamic": (
        '<View><Text name="t" value="$text"/><Choices name="c" toName="t" value="$options" choice="multiple"/></View>'
    ),
    "choices-nested": (
        '<View><Text name="t" value="$text"/><Choices name="c" toName="t" allowNested="true">'
        '<Choice value="Animal"><Choice value="Cat"/><Choice value="Dog"/></Choice><Choice value="Plant"/></Choices></View>'
    ),
    "choices-inside-views": (
        '<View><Text name="t" value="$text"/><Choices name="c" toName="t"><View style="display: flex">'
        '<View><Choice value="A"/></View><View><Choice value="B"/></View></View></Choices></View>'
    ),
    "choices-visible-when": (
        '<View><Text name="t" value="$text"/><Choices name="c" toName="t"><Choice value="Other"/></Choices>'
        '<Choices name="why" toName="t" visibleWhen="choice-selected" whenTagName="c" whenChoiceValue="Other">'
        '<Choice value="Spam"/></Choices></View>'
    ),
    "choices-per-region": (
        '<View><Image name="img" value="$image"/><RectangleLabels name="box" toName="img"><Label value="Car"/>'
        '</RectangleLabels><Choices name="color" toName="img" perRegion="true" whenLabelValue="Car">'
        '<Choice value="Red"/></Choices></View>'
    ),
    "choices-per-item": (
        '<View><Image name="img" valueList="$pages"/><Choices name="c" toName="img" perItem="true">'
        '<Choice value="Blank"/></Choices></View>'
    ),
    "labels-dynamic": '<View><Text name="t" value="$text"/><Labels name="l" toName="t" value="$labels"/></View>',
    "label-attributes": (
        '<View><Text name="t" value="$text"/><Labels name="l" toName="t" choice="multiple" maxUsages="3" '
        'showInline="false" opacity="0.5" fillColor="#f00" strokeColor="#0f0" strokeWidth="2" allowEmpty="true">'
        '<Label value="PER" alias="P" selected="false" hotkey="p" background="#FFA39E" selectedColor="white" '
        'hint="A person" maxUsages="1" granularity="word" category="1" showAlias="true" aliasStyle="opacity: .6" '
        'size="small"/></Labels></View>'
    ),
    # -- other classification controls ----------------------------------------------------------
    "textarea-shortcuts": (
        '<View><Text name="t" value="$text"/><TextArea name="a" toName="t" rows="3" editable="true" '
        'transcription="true" maxSubmissions="2" skipDuplicates="true" displayMode="region-list" '
        'placeholder="Type" value="$prefill" showSubmitButton="false">'
        '<Shortcut value="ñ" alias="enye" hotkey="alt+n"/></TextArea></View>'
    ),
    "rating": '<View><Text name="t" value="$text"/><Rating name="r" toName="t" maxRating="10" defaultValue="3" icon="heart" size="large"/></View>',
    "number": '<View><Text name="t" value="$text"/><Number name="n" toName="t" min="0" max="10" step="0.5" defaultValue="1" slider="true"/></View>',
    "datetime-variants": (
        '<View><Text name="t" value="$text"/><DateTime name="d" toName="t" only="date" min="2020-01-01" max="2030-12-31"/>'
        '<DateTime name="m" toName="t" only="month"/><DateTime name="y" toName="t" only="year"/>'
        '<DateTime name="dt" toName="t" format="%Y-%m-%d %H:%M"/></View>'
    ),
    "taxonomy": (
        '<View><Text name="t" value="$text"/><Taxonomy name="tax" toName="t" leafsOnly="true" showFullPath="true" '
        'pathSeparator=" > " maxUsages="2" placeholder="Pick" minWidth="200px" maxWidth="400px">'
        '<Choice value="Sports"><Choice value="Football"/><Choice value="Tennis"/></Choice>'
        '<Choice value="Politics" color="#ccc"/></Taxonomy></View>'
    ),
    "taxonomy-api": '<View><Text name="t" value="$text"/><Taxonomy name="tax" toName="t" apiUrl="https://example.com/tree"/></View>',
    "pairwise": (
        '<View><Text name="a" value="$left"/><Text name="b" value="$right"/>'
        '<Pairwise name="cmp" toName="a,b" selectionStyle="background: #eee" leftClass="l" rightClass="r"/></View>'
    ),
    "ranker-list": '<View><List name="items" value="$items" title="Results"/><Ranker name="rank" toName="items"/></View>',
    "ranker-buckets": (
        '<View><List name="items" value="$items"/><Ranker name="rank" toName="items">'
        '<Bucket name="best" title="Best" default="true"/><Bucket name="ads" title="Ads"/></Ranker></View>'
    ),
    "relations": (
        '<View><Relations choice="multiple"><Relation value="knows" background="#f00"/><Relation value="owns"/>'
        '</Relations><Labels name="l" toName="t"><Label value="X"/></Labels><Text name="t" value="$text"/></View>'
    ),
    "relations-without-labels": (
        '<View><Relations/><Labels name="l" toName="t"><Label value="X"/></Labels><Text name="t" value="$text"/></View>'
    ),
    # -- images ---------------------------------------------------------------------------------
    "image-attributes": (
        '<View><Image name="img" value="$image" width="80%" maxWidth="900px" zoom="true" negativeZoom="true" '
        'zoomBy="1.5" zoomControl="true" brightnessControl="true" contrastControl="true" rotateControl="true" '
        'grid="true" gridSize="20" gridColor="#eee" crosshair="true" smoothing="false" horizontalAlignment="center" '
        'verticalAlignment="center" defaultZoom="original" crossOrigin="anonymous"/>'
        '<Choices name="c" toName="img"><Choice value="A"/></Choices></View>'
    ),
    "rectangle-labels": (
        '<View><Image name="img" value="$image"/><RectangleLabels name="box" toName="img" canRotate="false" '
        'snap="pixel" opacity="0.6" strokeWidth="3"><Label value="Car" background="red"/></RectangleLabels></View>'
    ),
    "rectangle-plus-labels": (
        '<View><Image name="img" value="$image"/><Rectangle name="rect" toName="img" smart="true"/>'
        '<Labels name="lbl" toName="img"><Label value="Car"/></Labels></View>'
    ),
    "polygon": (
        '<View><Image name="img" value="$image"/><PolygonLabels name="poly" toName="img" pointSize="small" '
        'pointStyle="circle" snap="pixel"><Label value="Roof"/></PolygonLabels><Polygon name="p" toName="img"/></View>'
    ),
    "keypoints": (
        '<View><Image name="img" value="$image"/><KeyPointLabels name="kp" toName="img" smart="true" smartOnly="false">'
        '<Label value="Nose"/></KeyPointLabels><KeyPoint name="k" toName="img"/></View>'
    ),
    "ellipses": (
        '<View><Image name="img" value="$image"/><EllipseLabels name="el" toName="img"><Label value="Cell"/>'
        '</EllipseLabels><Ellipse name="e" toName="img"/></View>'
    ),
    "brush-and-magic-wand": (
        '<View><Image name="img" value="$image" crossOrigin="anonymous"/><BrushLabels name="br" toName="img">'
        '<Label value="Road"/></BrushLabels><Brush name="b" toName="img"/>'
        '<MagicWand name="wand" toName="img" blurradius="3" defaultthreshold="20"/></View>'
    ),
    "bitmask-and-vector": (
        '<View><Image name="img" value="$image"/><BitmaskLabels name="bm" toName="img"><Label value="A"/></BitmaskLabels>'
        '<VectorLabels name="vec" toName="img"><Label value="Line"/></VectorLabels><Bitmask name="b" toName="img"/>'
        '<Vector name="v" toName="img"/></View>'
    ),
    "ocr-per-region-textarea": (
        '<View><Image name="img" value="$ocr"/><Labels name="l" toName="img"><Label value="Text"/></Labels>'
        '<Rectangle name="bbox" toName="img"/><TextArea name="transcription" toName="img" perRegion="true" '
        'editable="true" required="true" displayMode="region-list"/></View>'
    ),
    "multi-image-value-list": '<View><Image name="pages" valueList="$pages"/><RectangleLabels name="b" toName="pages"><Label value="Sig"/></RectangleLabels></View>',
    "pdf": '<View><Pdf name="doc" value="$pdf"/><Choices name="c" toName="doc"><Choice value="Invoice"/></Choices></View>',
    # -- text -----------------------------------------------------------------------------------
    "text-attributes": (
        '<View><Text name="t" value="$text" valueType="url" saveTextResult="no" selectionEnabled="false" '
        'granularity="sentence" highlightColor="#ff0" showLabels="true" encoding="base64"/>'
        '<Labels name="l" toName="t"><Label value="A"/></Labels></View>'
    ),
    "ner-word-granularity": (
        '<View><Labels name="ner" toName="t"><Label value="PER"/><Label value="LOC"/></Labels>'
        '<Text name="t" value="$text" granularity="word"/></View>'
    ),
    "hypertext": (
        '<View><HyperText name="html" value="$html" inline="true" clickableLinks="true"/>'
        '<HyperTextLabels name="ner" toName="html"><Label value="Person"/></HyperTextLabels></View>'
    ),
    "paragraphs-dialogue": (
        '<View><Paragraphs name="dlg" value="$dialogue" layout="dialogue" nameKey="speaker" textKey="utterance" '
        'audioUrl="$audio" showPlayer="true" sync="audio" contextScroll="true"/><Audio name="audio" value="$audio" sync="dlg"/>'
        '<ParagraphLabels name="pl" toName="dlg"><Label value="Question"/></ParagraphLabels></View>'
    ),
    "chat": '<View><Chat name="chat" value="$messages" editable="true"/></View>',
    "chat-message-control": '<View><Chat name="chat" value="$messages"/><ChatMessage name="reply" toName="chat"/></View>',
    # -- audio ----------------------------------------------------------------------------------
    "audio-attributes": (
        '<View><Audio name="a" value="$audio" hotkey="space" height="120" waveHeight="40" defaultSpeed="1.5" '
        'defaultScale="2" defaultZoom="1" defaultVolume="0.8" spectrogram="true" splitChannels="true" '
        'decoder="ffmpeg" player="webaudio"/><Labels name="l" toName="a"><Label value="Speech"/></Labels></View>'
    ),
    "audioplus-alias": '<View><AudioPlus name="a" value="$audio"/><Choices name="c" toName="a"><Choice value="Noise"/></Choices></View>',
    "audio-transcription-per-region": (
        '<View><Labels name="l" toName="a"><Label value="Speech"/></Labels><Audio name="a" value="$audio"/>'
        '<TextArea name="tr" toName="a" perRegion="true" visibleWhen="region-selected"/></View>'
    ),
    # -- time series ----------------------------------------------------------------------------
    "timeseries-channels": (
        '<View><TimeSeries name="ts" value="$csv" valueType="url" sep=";" timeColumn="time" timeFormat="%Y-%m-%d" '
        'timeDisplayFormat="%d.%m" overviewChannels="a" overviewWidth="30%" fixedScale="true" cursorColor="#f00">'
        '<Channel column="a" legend="A" units="m/s" displayFormat=",.2f" height="150" strokeColor="#00f" '
        'strokeWidth="2" markerColor="#f0f" markerSize="3" markerSymbol="circle" timeRange="0,10" dataRange="-1,1" '
        'showAxis="false" fixedScale="true"/></TimeSeries>'
        '<TimeSeriesLabels name="tsl" toName="ts"><Label value="Run"/></TimeSeriesLabels></View>'
    ),
    "timeseries-multichannel": (
        '<View><TimeSeries name="ts" value="$ts" valueType="json"><MultiChannel height="300" showYAxis="false">'
        '<Channel column="x"/><Channel column="y"/></MultiChannel></TimeSeries>'
        '<Choices name="c" toName="ts"><Choice value="Normal"/></Choices></View>'
    ),
    # -- video ----------------------------------------------------------------------------------
    "video-attributes": (
        '<View><Video name="v" value="$video" frameRate="30" sync="a" muted="true" height="400" timelineHeight="80" '
        'defaultPlaybackSpeed="1.5" minPlaybackSpeed="0.5"/><Audio name="a" value="$audio" sync="v"/>'
        '<Choices name="c" toName="v"><Choice value="Indoor"/></Choices></View>'
    ),
    "video-tracking": (
        '<View><Labels name="vl" toName="v"><Label value="Car"/></Labels><Video name="v" value="$video" framerate="$fps"/>'
        '<VideoRectangle name="box" toName="v"/></View>'
    ),
    "video-timeline": (
        '<View><Video name="v" value="$video"/><TimelineLabels name="tl" toName="v"><Label value="Jump"/></TimelineLabels></View>'
    ),
    # -- combinations ---------------------------------------------------------------------------
    "worked-example-12-1": (
        "<View>\n"
        '  <Image name="img" value="$image" zoom="true"/>\n'
        '  <RectangleLabels name="box" toName="img">\n'
        '    <Label value="Car" hotkey="c"/><Label value="Person"/>\n'
        "  </RectangleLabels>\n"
        '  <Choices name="occluded" toName="img" perRegion="true" choice="single">\n'
        '    <Choice value="yes"/><Choice value="no"/>\n'
        "  </Choices>\n"
        '  <Relations><Relation value="drives"/></Relations>\n'
        "</View>"
    ),
    "worked-example-12-3": (
        '<View><Text name="txt" value="$text"/>'
        '<Choices name="sentiment" toName="txt"><Choice value="Positive"/><Choice value="Negative"/></Choices>'
        '<Rating name="stars" toName="txt"/><TextArea name="summary" toName="txt"/>'
        '<Taxonomy name="topic" toName="txt"><Choice value="Sports"><Choice value="Football"/></Choice>'
        '<Choice value="Politics"/></Taxonomy><Number name="score" toName="txt"/>'
        '<DateTime name="when" toName="txt" only="date"/></View>'
    ),
    "multi-object-choices": (
        '<View><Image name="a" value="$a"/><Image name="b" value="$b"/>'
        '<Choices name="same" toName="a,b"><Choice value="Same"/><Choice value="Different"/></Choices></View>'
    ),
}
