from django.db import migrations

# Infrastructure (house renovation, wells, toilets) is not repeated for five years; social and religious aid
# (food parcels) may repeat; every other bidang is once per budget year.
DEFAULTS = {"infrastruktur": (False, 5), "sosial_keagamaan": (True, 1)}
BIDANG = [
    "pendidikan",
    "kesehatan",
    "infrastruktur",
    "olahraga_seni",
    "sosial_keagamaan",
    "lingkungan",
    "ekonomi",
    "masyarakat_adat",
    "lainnya",
]


def create_rules(apps, schema_editor):
    BidangRule = apps.get_model("programs", "BidangRule")
    for bidang in BIDANG:
        repeat, years = DEFAULTS.get(bidang, (False, 1))
        BidangRule.objects.get_or_create(bidang=bidang, defaults={"repeat_allowed": repeat, "exclusion_years": years})


def delete_rules(apps, schema_editor):
    apps.get_model("programs", "BidangRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_bidangrule_alter_programevent_action_beneficiary_and_more")]

    operations = [migrations.RunPython(create_rules, delete_rules)]
