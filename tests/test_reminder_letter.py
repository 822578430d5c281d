"""The công văn đôn đốc: the ward's draft letter to the units late with a period, read back from the PDF."""
import subprocess
from datetime import timedelta, timezone

import time_machine

from workflow.items import states

from .items_support import ready, result_of, user
from .test_reminders import DUE, at_ward, flat


def test_the_draft_reminder_letter_lists_what_each_late_unit_owes(client, auth, period, tmp_path):
    """A Decree 30 draft letter (blank number /UBND-VHXH, V/v under it, blank date, DỰ THẢO), addressed to
    the late units, each with what it still owes, a day to finish by (three working days on), the
    chairman's signature block and "Nơi nhận"; for those who remind, and only once a unit is late."""
    sent = ready(result_of("3.e", period))
    states.perform(user("kthtdt"), sent, "submit", sent.version, now=at_ward(DUE - timedelta(days=1)))
    with time_machine.travel(at_ward(DUE).replace(tzinfo=timezone.utc), tick=False):
        auth.login("thamdinh")
        assert client.get(f"/periods/{period.id}/cong-van-don-doc.pdf").status_code == 409  # nobody late yet
        auth.logout()
    with time_machine.travel(at_ward(DUE + timedelta(days=3)).replace(tzinfo=timezone.utc), tick=False):
        auth.login("kthtdt")
        assert client.get(f"/periods/{period.id}/cong-van-don-doc.pdf").status_code == 403
        auth.logout()
        auth.login("thamdinh")
        answer = client.get(f"/periods/{period.id}/cong-van-don-doc.pdf")
    assert answer.status_code == 200 and "cong-van-don-doc-quy-III-2025.pdf" in answer.headers["Content-Disposition"]
    path = tmp_path / "letter.pdf"
    path.write_bytes(answer.data)
    text = flat(subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    assert "Số: /UBND-VHXH" in text and "V/v đôn đốc gửi hồ sơ cải cách hành chính Quý III/2025" in text
    assert "ngày tháng năm 2025" in text and "DỰ THẢO" in text and "Kính gửi:" in text
    assert "- Phòng Kinh tế, Hạ tầng và Đô thị;" in text and "Đến ngày 08/9/2025" in text
    kthtdt = text.split("Phòng Kinh tế, Hạ tầng và Đô thị:")[1].split("2. ")[0]
    assert "6.a." in kthtdt and "3.e." not in kthtdt  # what it owes, not what it sent
    assert "trước ngày 11/9/2025" in text  # Monday 08/9 + three working days
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text and "Lưu: VT, VHXH." in text
