import pytest

from qr.card import CardData
from qr.letter import LetterData
from qr.template import DEFAULT_LETTER_TEMPLATE


@pytest.fixture
def letter():
    return LetterData(
        community="胜泉社区", grid="第三网格", house_code="SQ-01-03-0402",
        address="幸福路188号阳光花园3栋2单元402室", grid_head="王丽", grid_head_phone="138 0013 8000",
        police="李强", police_phone="139 0013 9000",
        qr_url="https://jiashu.example.cn/s/Ab3dEf7hIj9kLm1nOp2qRs", template=DEFAULT_LETTER_TEMPLATE,
    )


@pytest.fixture
def card():
    return CardData(
        name="李强", title="社区民警", station="东城分局幸福路派出所", phone="139 0013 9000",
        jurisdiction="胜泉社区、幸福里社区", qr_url="https://jiashu.example.cn/c/Zy9xWv8uTs7rQp6oNm5lKj",
    )
