"""Every config of Label Studio's own template gallery validates, and the tags and optional
attributes that took added (``OcrLabels``; controls without ``toName``) write valid results."""

from __future__ import annotations

import pytest

from labelloom.core.labelconfig import ConfigInvalid, parse_config, validate_results
from labelloom.core.errors import ValidationFailed

from .gallery_configs import GALLERY


def test_the_whole_gallery_is_here():
    assert len(GALLERY) >= 69
    assert "computer-vision/pdf_ocr" in GALLERY and "generative-ai/chatbot-assessment" in GALLERY


@pytest.mark.parametrize("xml", list(GALLERY.values()), ids=list(GALLERY))
def test_gallery_config_validates(xml, registries):
    parsed = parse_config(xml, registries)
    assert parsed.root.tag == "View"


def ocr(registries):
    return parse_config(
        '<View><Image name="img" value="$image"/><Pdf name="pdf" value="$pdf"/>'
        '<OcrLabels name="boxes" toName="img"><Label value="Total"/></OcrLabels>'
        '<OcrLabels name="pages" toName="pdf"><Label value="Typo"/></OcrLabels></View>',
        registries,
    )


def test_ocr_labels_on_images_and_pdf_pages(registries):
    parsed = ocr(registries)
    summary = parsed.to_json()["controls"]
    assert summary["boxes"]["type"] == "OcrLabels" and summary["pages"]["inputs"][0]["type"] == "Pdf"
    box = {"from_name": "boxes", "to_name": "img", "type": "ocrlabels",
           "value": {"x": 10, "y": 20, "width": 30, "height": 5, "rotation": 0, "ocrlabels": ["Total"], "ocrtext": "42.00"}}
    polygon = {"from_name": "boxes", "to_name": "img", "type": "ocrlabels",
               "value": {"points": [[1, 1], [9, 1], [5, 8]], "ocrlabels": ["Total"]}}
    page = {"from_name": "pages", "to_name": "pdf", "type": "ocrlabels",
            "value": {"x": 1, "y": 2, "width": 3, "height": 4, "pageIndex": 2, "ocrlabels": ["Typo"], "ocrtext": "teh"}}
    out = validate_results(parsed, [box, polygon, page], registries)
    assert out[0]["value"]["ocrtext"] == "42.00" and out[2]["value"]["pageIndex"] == 2


@pytest.mark.parametrize(("value", "where"), [
    ({"x": 1, "y": 2, "width": 3, "height": 4, "ocrlabels": ["Nope"]}, "result[0].value.ocrlabels[0]"),
    ({"ocrlabels": ["Total"]}, "result[0].value"),
    ({"x": 1, "y": 2, "width": 3, "height": 4}, "result[0].value.ocrlabels"),
])
def test_bad_ocr_results_name_the_field(registries, value, where):
    item = {"from_name": "boxes", "to_name": "img", "type": "ocrlabels", "value": value}
    with pytest.raises(ValidationFailed) as caught:
        validate_results(ocr(registries), [item], registries)
    assert where in str(caught.value)


def test_ocr_labels_need_an_image_or_pdf(registries):
    with pytest.raises(ConfigInvalid) as caught:
        parse_config('<View><Text name="t" value="$text"/><OcrLabels name="o" toName="t"><Label value="A"/></OcrLabels></View>',
                     registries)
    assert "OcrLabels" in str(caught.value)


def test_controls_label_studio_accepts_without_to_name(registries):
    parsed = parse_config(
        '<View><Text name="t" value="$text"/><Rating name="stars" maxRating="7"/>'
        '<DateTime name="when" only="date"/></View>',
        registries,
    )
    out = validate_results(parsed, [{"from_name": "stars", "to_name": "stars", "type": "rating", "value": {"rating": 6}}],
                           registries)
    assert out[0]["value"] == {"rating": 6}


@pytest.mark.parametrize("tag", ["Choices", "Labels", "TextArea", "Number"])
def test_controls_label_studio_requires_to_name_of(registries, tag):
    """Label Studio's config schema requires ``toName`` of exactly these four."""
    item = "<Choice value='A'/>" if tag == "Choices" else "<Label value='A'/>" if tag == "Labels" else ""
    with pytest.raises(ConfigInvalid) as caught:
        parse_config(f'<View><Text name="t" value="$text"/><{tag} name="c">{item}</{tag}></View>', registries)
    assert "toName" in str(caught.value)
