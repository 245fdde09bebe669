"""A tiny deterministic model served by the real ``label-studio-ml`` server (run by the tests
in that package's own virtualenv: ``python tiny_model.py PORT MODEL_DIR``).

Batch predictions: ``Positive`` when the text contains "good", else ``Negative``; score =
(length of the text mod 10) / 10. Interactive (a region in ``context``): the region comes back
labelled ``ORG`` with score 0.9, plus every other occurrence of the same text. Training (any
webhook event): ``fit`` counts the events it saw; the next ``/setup`` reports the new version.
"""

import os
import sys

from label_studio_ml.api import init_app
from label_studio_ml.model import LabelStudioMLBase


class TinyModel(LabelStudioMLBase):
    def predict(self, tasks, context=None, **kwargs):
        if context and context.get("result"):
            return [self._interactive(tasks[0], context["result"][0])]
        out = []
        for task in tasks:
            text = str(task["data"].get("text", ""))
            label = "Positive" if "good" in text else "Negative"
            out.append({
                "result": [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                            "value": {"choices": [label]}}],
                "score": (len(text) % 10) / 10,
            })
        return out

    def _interactive(self, task, drawn):
        text = str(task["data"].get("text", ""))
        value = drawn.get("value", {})
        start, end = int(value.get("start", 0)), int(value.get("end", 0))
        word = text[start:end]
        regions = []
        position = text.find(word) if word else -1
        while position >= 0:
            regions.append({"id": f"s{position}", "from_name": "ner", "to_name": "text", "type": "labels",
                            "value": {"start": position, "end": position + len(word), "text": word, "labels": ["ORG"]}})
            position = text.find(word, position + 1)
        return {"result": regions, "score": 0.9}

    def process_event(self, event, data, job_id, additional_params):
        # label-studio-ml 1.0.9 trains on annotation events only; START_TRAINING trains too.
        return self.fit((), event=event, data=data, job_id=job_id, **additional_params)

    def fit(self, tasks, workdir=None, **kwargs):
        return {"event": kwargs.get("event"), "trained": True}


if __name__ == "__main__":
    port, model_dir = int(sys.argv[1]), sys.argv[2]
    os.environ.setdefault("LABEL_STUDIO_ML_BACKEND_V2", "1")
    app = init_app(model_class=TinyModel, model_dir=model_dir)
    app.run(host="127.0.0.1", port=port, threaded=True)
