"""What the hypothesis fuzz tests of the routes outside the OpenAPI document share: bounded, derandomized
settings and junk text."""
import os

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# Any characters but NUL, short enough to stay quick. app/web/input_guard.py refuses NUL before any view runs
# (tests/test_input_guard.py); hypothesis would put one nearly everywhere, and little would get past the guard.
junk = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=24)


def bounded(examples: int):
    """`examples` cases (FUZZ_SCALE multiplies them for a deeper local run), the same ones on every run."""
    return settings(max_examples=examples * int(os.environ.get("FUZZ_SCALE", "1")), deadline=None,
                    derandomize=True, database=None, phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck))


def either(known, other=junk):
    """A known value that reaches deep into the code, or anything else."""
    return st.one_of(st.sampled_from(list(known)), other)

