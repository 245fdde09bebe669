#!/usr/bin/env python3
"""Image export benchmark: prints figures, asserts nothing.

Starts `labelloom start` on SQLite, imports N annotated image tasks (a box and a brush mask
each) whose images are uploaded files, or, with --remote, URLs on a local HTTP server that
answers after --latency ms (as a storage bucket or CDN would), then streams each computer-vision
format and prints time, bytes and the server's peak RSS growth: the formats that ship the images
(``*_WITH_IMAGES``) must stay flat in memory whatever the project's size.

Usage: .venv/bin/python bench/image_export_bench.py [--tasks 5000] [--image-kb 40] [--remote --latency 20]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import multiprocessing
import os
import socketserver
import tempfile
import time
from pathlib import Path

from api_bench import rss_mb, signed_in, start, worker_pid
from export_bench import measure

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Person"/></RectangleLabels>
  <BrushLabels name="mask" toName="img"><Label value="Road"/></BrushLabels>
</View>"""
W, H = 640, 480


def brush_rle() -> list[int]:
    from labelloom.plugins.image import rle

    mask = bytearray(W * H)
    for y in range(120, 360):
        for x in range(100 + y % 7, 400):
            mask[y * W + x] = 255
    return rle.rle_from_mask(bytes(mask), W, H)


class SlowFiles(http.server.SimpleHTTPRequestHandler):
    latency = 0.0

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        time.sleep(self.latency)
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


class Host(socketserver.ThreadingTCPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connects (a 1 s SYN retry each)


def serve_files(folder: str, latency: float, ports: multiprocessing.Queue) -> None:
    """The "remote" image host, in its own process (in ours it would compete for the GIL)."""
    SlowFiles.latency = latency
    server = Host(("127.0.0.1", 0), functools.partial(SlowFiles, directory=folder))
    ports.put(server.server_address[1])
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--image-kb", type=int, default=40)
    parser.add_argument("--remote", action="store_true", help="images on a local HTTP server instead of uploads")
    parser.add_argument("--latency", type=float, default=20.0, help="ms before the HTTP server answers")
    args = parser.parse_args()
    label = "remote" if args.remote else "uploads"
    with tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as www:
        folder = Path(www if args.remote else Path(data_dir) / "media" / "upload" / "1")
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(args.tasks):
            (folder / f"img{i:06d}.jpg").write_bytes(os.urandom(args.image_kb * 1024))
        if args.remote:
            ports: multiprocessing.Queue = multiprocessing.Queue()
            host = multiprocessing.Process(target=serve_files, args=(www, args.latency / 1000, ports), daemon=True)
            host.start()
            base = f"http://127.0.0.1:{ports.get(timeout=30)}/"
            os.environ["LABELLOOM_ALLOW_PRIVATE_URLS"] = "1"
        else:
            base = "/data/upload/1/"
        proc, url = start(None, data_dir)
        worker = worker_pid(proc)
        try:
            client = signed_in(url, 3600)
            pid = client.post("/api/projects/", json={"title": "images", "label_config": CONFIG}).json()["id"]
            size = {"original_width": W, "original_height": H}
            mask = brush_rle()
            result = [
                {"id": "b", "from_name": "box", "to_name": "img", "type": "rectanglelabels", **size,
                 "value": {"x": 10, "y": 20, "width": 30, "height": 25, "rotation": 15, "rectanglelabels": ["Car"]}},
                {"id": "m", "from_name": "mask", "to_name": "img", "type": "brushlabels", **size,
                 "value": {"format": "rle", "rle": mask, "brushlabels": ["Road"]}},
            ]
            body = [{"data": {"image": f"{base}img{i:06d}.jpg"}, "annotations": [{"result": result}]}
                    for i in range(args.tasks)]
            client.post(f"/api/projects/{pid}/import", json=body).raise_for_status()
            print(f"[{label}] {args.tasks} tasks, {args.image_kb} KB images; server RSS {rss_mb(worker):.0f} MB", flush=True)

            def stream(export_type: str):
                def go() -> int:
                    total = 0
                    with client.stream("GET", f"/api/projects/{pid}/export",
                                       params={"exportType": export_type, "download_all_tasks": "true"}) as r:
                        r.raise_for_status()
                        for chunk in r.iter_bytes(1 << 16):
                            total += len(chunk)
                    return total
                return go

            for export_type in ("COCO", "YOLO", "YOLO_OBB", "COCO_WITH_IMAGES", "YOLO_WITH_IMAGES", "BRUSH_TO_COCO"):
                measure(label, f"export {export_type}", worker, stream(export_type))
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
