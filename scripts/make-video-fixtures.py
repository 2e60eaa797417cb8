#!/usr/bin/env python3
"""Writes the small videos tests/it/media.rs uploads (tests/fixtures/video/):
each 64x64, 4 frames, with the codecs named in its file name. They are
committed; this script says how they were made. Needs PyAV (`pip install av`,
which bundles FFmpeg's encoders)."""
import fractions
import os
import sys

import av
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "video")

CASES = [
    # file, container format, video codec, codec tag, audio codec
    ("h264-aac.mp4", "mp4", "libx264", None, "aac"),
    ("av1-opus.mp4", "mp4", "libsvtav1", None, "libopus"),
    ("vp9-opus.webm", "webm", "libvpx-vp9", None, "libopus"),
    ("vp8.webm", "webm", "libvpx", None, None),
    ("hevc-aac.mp4", "mp4", "libx265", "hvc1", "aac"),
    ("h264-flac.mp4", "mp4", "libx264", None, "flac"),
    ("mpeg4-part2.mp4", "mp4", "mpeg4", None, None),
]


def write(name, fmt, vcodec, tag, acodec):
    path = os.path.join(OUT, name)
    with av.open(path, "w", format=fmt) as out:
        v = out.add_stream(vcodec, rate=10)
        v.width, v.height, v.pix_fmt = 64, 64, "yuv420p"
        if tag:
            v.codec_tag = tag
        a = None
        if acodec:
            a = out.add_stream(acodec, rate=48000)
        for i in range(4):
            img = np.full((64, 64, 3), (40 * i, 120, 200), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            for p in v.encode(frame):
                out.mux(p)
        for p in v.encode():
            out.mux(p)
        if a is not None:
            n = a.codec_context.frame_size or 1024
            fmt_ = a.codec_context.format.name
            layout = "stereo"
            dtypes = {"s16": np.int16, "s32": np.int32, "flt": np.float32, "dbl": np.float64}
            dtype = dtypes[fmt_.rstrip("p")]
            planar = a.codec_context.format.is_planar
            samples = np.zeros((2, n) if planar else (1, n * 2), dtype=dtype)
            for k in range(2):
                af = av.AudioFrame.from_ndarray(samples, format=fmt_, layout=layout)
                af.sample_rate = 48000
                af.pts = k * n
                af.time_base = fractions.Fraction(1, 48000)
                for p in a.encode(af):
                    out.mux(p)
            for p in a.encode():
                out.mux(p)
    print(name, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for case in CASES:
        try:
            write(*case)
        except Exception as e:  # noqa: BLE001 - report which one failed
            print(case[0], "failed:", e, file=sys.stderr)
            raise
