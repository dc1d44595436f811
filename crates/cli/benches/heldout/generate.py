#!/usr/bin/env python3
"""Held-out expert corpus for the tukiverkko expert finder.

Writes experts.csv (500 profiles, the expert CSV format of DESIGN.md §5)
next to this file. Standard library only, fixed seed, deterministic: the
same Python 3 gives byte-identical output on every run (no set or dict
iteration order is relied on for anything random; `random.Random(SEED)`
draws in a fixed order).

This generator was written independently of the tuning corpus in
`../corpus/mod.rs`: other sentence material, names, organisations and bio
styles, and it never looks at the finder, its thesaurus or its output.

    python3 generate.py          # writes experts.csv
"""

import csv
import os
import random
import re
import unicodedata

SEED = 730_1917
N_PROFILES = 500
HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Regions. code, Finnish name, Swedish name, centre, weight (population in
# thousands; the university-hospital regions weighted up a little because
# specialists cluster there), hospital, police department, prosecution
# district, criminal sanctions region, towns (nominative, genitive, Swedish).
# --------------------------------------------------------------------------
COUNTIES = [
    ("helsinki", "Helsingin kaupunki", "Helsingfors stad", "helsinki", 1000,
     ("HUS Helsingin yliopistollinen sairaala", "HUS Helsingfors universitetssjukhus"),
     "Helsingin poliisilaitos", "Helsingin syyttäjäalue", "Etelä-Suomen",
     [("Helsinki", "Helsingin", "Helsingfors")]),
    ("vantaa-kerava", "Vantaan ja Keravan hyvinvointialue", "Vanda och Kervo välfärdsområde", "helsinki", 290,
     ("HUS Peijaksen sairaala", "HUS Pejas sjukhus"),
     "Itä-Uudenmaan poliisilaitos", "Etelä-Suomen syyttäjäalue", "Etelä-Suomen",
     [("Vantaa", "Vantaan", "Vanda"), ("Kerava", "Keravan", "Kervo")]),
    ("lansi-uusimaa", "Länsi-Uudenmaan hyvinvointialue", "Västra Nylands välfärdsområde", "helsinki", 480,
     ("HUS Jorvin sairaala", "HUS Jorv sjukhus"),
     "Länsi-Uudenmaan poliisilaitos", "Etelä-Suomen syyttäjäalue", "Etelä-Suomen",
     [("Espoo", "Espoon", "Esbo"), ("Lohja", "Lohjan", "Lojo"), ("Raasepori", "Raaseporin", "Raseborg")]),
    ("ita-uusimaa", "Itä-Uudenmaan hyvinvointialue", "Östra Nylands välfärdsområde", "helsinki", 110,
     ("HUS Porvoon sairaala", "HUS Borgå sjukhus"),
     "Itä-Uudenmaan poliisilaitos", "Etelä-Suomen syyttäjäalue", "Etelä-Suomen",
     [("Porvoo", "Porvoon", "Borgå"), ("Loviisa", "Loviisan", "Lovisa")]),
    ("keski-uusimaa", "Keski-Uudenmaan hyvinvointialue", "Mellersta Nylands välfärdsområde", "helsinki", 200,
     ("HUS Hyvinkään sairaala", "HUS Hyvinge sjukhus"),
     "Itä-Uudenmaan poliisilaitos", "Etelä-Suomen syyttäjäalue", "Etelä-Suomen",
     [("Hyvinkää", "Hyvinkään", "Hyvinge"), ("Järvenpää", "Järvenpään", "Träskända")]),
    ("kymenlaakso", "Kymenlaakson hyvinvointialue", "Kymmenedalens välfärdsområde", "helsinki", 160,
     ("Kymenlaakson keskussairaala", None),
     "Kaakkois-Suomen poliisilaitos", "Etelä-Suomen syyttäjäalue", "Etelä-Suomen",
     [("Kotka", "Kotkan", "Kotka"), ("Kouvola", "Kouvolan", "Kouvola")]),
    ("etela-karjala", "Etelä-Karjalan hyvinvointialue", "Södra Karelens välfärdsområde", "helsinki", 125,
     ("Etelä-Karjalan keskussairaala", None),
     "Kaakkois-Suomen poliisilaitos", "Etelä-Suomen syyttäjäalue", "Etelä-Suomen",
     [("Lappeenranta", "Lappeenrannan", "Villmanstrand"), ("Imatra", "Imatran", "Imatra")]),
    ("paijat-hame", "Päijät-Hämeen hyvinvointialue", "Päijänne-Tavastlands välfärdsområde", "helsinki", 205,
     ("Päijät-Hämeen keskussairaala", None),
     "Hämeen poliisilaitos", "Etelä-Suomen syyttäjäalue", "Etelä-Suomen",
     [("Lahti", "Lahden", "Lahtis"), ("Heinola", "Heinolan", "Heinola")]),
    ("varsinais-suomi", "Varsinais-Suomen hyvinvointialue", "Egentliga Finlands välfärdsområde", "turku", 730,
     ("Tyks Turun yliopistollinen keskussairaala", "Åbo universitetscentralsjukhus"),
     "Lounais-Suomen poliisilaitos", "Länsi-Suomen syyttäjäalue", "Länsi-Suomen",
     [("Turku", "Turun", "Åbo"), ("Salo", "Salon", "Salo"), ("Parainen", "Paraisten", "Pargas")]),
    ("satakunta", "Satakunnan hyvinvointialue", "Satakunta välfärdsområde", "turku", 210,
     ("Satasairaala", None),
     "Lounais-Suomen poliisilaitos", "Länsi-Suomen syyttäjäalue", "Länsi-Suomen",
     [("Pori", "Porin", "Björneborg"), ("Rauma", "Rauman", "Raumo")]),
    ("pohjanmaa", "Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde", "turku", 330,
     ("Vaasan keskussairaala", "Vasa centralsjukhus"),
     "Pohjanmaan poliisilaitos", "Länsi-Suomen syyttäjäalue", "Länsi-Suomen",
     [("Vaasa", "Vaasan", "Vasa"), ("Pietarsaari", "Pietarsaaren", "Jakobstad"), ("Närpiö", "Närpiön", "Närpes")]),
    ("pirkanmaa", "Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde", "tampere", 800,
     ("Tays Tampereen yliopistollinen sairaala", "Tammerfors universitetssjukhus"),
     "Sisä-Suomen poliisilaitos", "Sisä-Suomen syyttäjäalue", "Länsi-Suomen",
     [("Tampere", "Tampereen", "Tammerfors"), ("Nokia", "Nokian", "Nokia")]),
    ("kanta-hame", "Kanta-Hämeen hyvinvointialue", "Egentliga Tavastlands välfärdsområde", "tampere", 170,
     ("Kanta-Hämeen keskussairaala", None),
     "Hämeen poliisilaitos", "Sisä-Suomen syyttäjäalue", "Etelä-Suomen",
     [("Hämeenlinna", "Hämeenlinnan", "Tavastehus"), ("Riihimäki", "Riihimäen", "Riihimäki")]),
    ("etela-pohjanmaa", "Etelä-Pohjanmaan hyvinvointialue", "Södra Österbottens välfärdsområde", "tampere", 190,
     ("Seinäjoen keskussairaala", None),
     "Pohjanmaan poliisilaitos", "Länsi-Suomen syyttäjäalue", "Länsi-Suomen",
     [("Seinäjoki", "Seinäjoen", "Seinäjoki"), ("Lapua", "Lapuan", "Lappo")]),
    ("pohjois-savo", "Pohjois-Savon hyvinvointialue", "Norra Savolax välfärdsområde", "kuopio", 380,
     ("KYS Kuopion yliopistollinen sairaala", None),
     "Itä-Suomen poliisilaitos", "Itä-Suomen syyttäjäalue", "Itä- ja Pohjois-Suomen",
     [("Kuopio", "Kuopion", "Kuopio"), ("Iisalmi", "Iisalmen", "Idensalmi")]),
    ("etela-savo", "Etelä-Savon hyvinvointialue", "Södra Savolax välfärdsområde", "kuopio", 130,
     ("Mikkelin keskussairaala", None),
     "Itä-Suomen poliisilaitos", "Itä-Suomen syyttäjäalue", "Itä- ja Pohjois-Suomen",
     [("Mikkeli", "Mikkelin", "S:t Michel"), ("Savonlinna", "Savonlinnan", "Nyslott")]),
    ("pohjois-karjala", "Pohjois-Karjalan hyvinvointialue", "Norra Karelens välfärdsområde", "kuopio", 165,
     ("Pohjois-Karjalan keskussairaala", None),
     "Itä-Suomen poliisilaitos", "Itä-Suomen syyttäjäalue", "Itä- ja Pohjois-Suomen",
     [("Joensuu", "Joensuun", "Joensuu"), ("Lieksa", "Lieksan", "Lieksa")]),
    ("keski-suomi", "Keski-Suomen hyvinvointialue", "Mellersta Finlands välfärdsområde", "kuopio", 275,
     ("Keski-Suomen sairaala Nova", None),
     "Sisä-Suomen poliisilaitos", "Sisä-Suomen syyttäjäalue", "Länsi-Suomen",
     [("Jyväskylä", "Jyväskylän", "Jyväskylä"), ("Jämsä", "Jämsän", "Jämsä")]),
    ("pohjois-pohjanmaa", "Pohjois-Pohjanmaan hyvinvointialue", "Norra Österbottens välfärdsområde", "oulu", 620,
     ("OYS Oulun yliopistollinen sairaala", None),
     "Oulun poliisilaitos", "Pohjois-Suomen syyttäjäalue", "Itä- ja Pohjois-Suomen",
     [("Oulu", "Oulun", "Uleåborg"), ("Raahe", "Raahen", "Brahestad")]),
    ("keski-pohjanmaa", "Keski-Pohjanmaan hyvinvointialue", "Mellersta Österbottens välfärdsområde", "oulu", 75,
     ("Keski-Pohjanmaan keskussairaala", "Mellersta Österbottens centralsjukhus"),
     "Pohjanmaan poliisilaitos", "Pohjois-Suomen syyttäjäalue", "Itä- ja Pohjois-Suomen",
     [("Kokkola", "Kokkolan", "Karleby"), ("Kannus", "Kannuksen", "Kannus")]),
    ("kainuu", "Kainuun hyvinvointialue", "Kajanalands välfärdsområde", "oulu", 75,
     ("Kainuun keskussairaala", None),
     "Oulun poliisilaitos", "Pohjois-Suomen syyttäjäalue", "Itä- ja Pohjois-Suomen",
     [("Kajaani", "Kajaanin", "Kajana"), ("Kuhmo", "Kuhmon", "Kuhmo")]),
    ("lappi", "Lapin hyvinvointialue", "Lapplands välfärdsområde", "oulu", 190,
     ("Lapin keskussairaala", None),
     "Lapin poliisilaitos", "Pohjois-Suomen syyttäjäalue", "Itä- ja Pohjois-Suomen",
     [("Rovaniemi", "Rovaniemen", "Rovaniemi"), ("Tornio", "Tornion", "Torneå"), ("Inari", "Inarin", "Enare")]),
]
COUNTY = {c[0]: c for c in COUNTIES}

# Share of Swedish-speaking experts by county (the rest: 0.03).
SWEDISH_SHARE = {
    "pohjanmaa": 0.55, "ita-uusimaa": 0.35, "lansi-uusimaa": 0.28, "helsinki": 0.14,
    "varsinais-suomi": 0.16, "keski-pohjanmaa": 0.12, "vantaa-kerava": 0.05, "keski-uusimaa": 0.04,
}
IMMIGRANT_SHARE = {"helsinki": 0.16, "vantaa-kerava": 0.18, "lansi-uusimaa": 0.10, "varsinais-suomi": 0.08,
                   "pirkanmaa": 0.07}

UNIVERSITIES = {
    "helsinki": ["Helsingin yliopisto, sosiaalitieteiden laitos", "Terveyden ja hyvinvoinnin laitos THL",
                 "Helsingin yliopisto, kasvatustieteellinen tiedekunta", "Diakonia-ammattikorkeakoulu",
                 "Svenska social- och kommunalhögskolan vid Helsingfors universitet"],
    "vantaa-kerava": ["Laurea-ammattikorkeakoulu"],
    "lansi-uusimaa": ["Laurea-ammattikorkeakoulu", "Yrkeshögskolan Novia, Raseborg"],
    "varsinais-suomi": ["Turun yliopisto, lääketieteellinen tiedekunta", "Åbo Akademi, socialt arbete",
                        "Turun ammattikorkeakoulu"],
    "pohjanmaa": ["Åbo Akademi i Vasa", "Vaasan yliopisto", "Yrkeshögskolan Novia"],
    "pirkanmaa": ["Tampereen yliopisto, yhteiskuntatieteiden tiedekunta", "Tampereen yliopisto, lääketieteen yksikkö",
                  "Tampereen ammattikorkeakoulu"],
    "pohjois-savo": ["Itä-Suomen yliopisto, sosiaali- ja terveysjohtamisen laitos", "Savonia-ammattikorkeakoulu"],
    "pohjois-karjala": ["Itä-Suomen yliopisto, Joensuun kampus", "Karelia-ammattikorkeakoulu"],
    "keski-suomi": ["Jyväskylän yliopisto, psykologian laitos", "Jyväskylän ammattikorkeakoulu"],
    "pohjois-pohjanmaa": ["Oulun yliopisto, kasvatustieteiden tiedekunta", "Oulun yliopisto, lääketieteellinen tiedekunta",
                          "Oulun ammattikorkeakoulu"],
    "lappi": ["Lapin yliopisto, yhteiskuntatieteiden tiedekunta", "Lapin ammattikorkeakoulu"],
    "etela-pohjanmaa": ["Seinäjoen ammattikorkeakoulu"],
    "paijat-hame": ["LAB-ammattikorkeakoulu"],
    "etela-karjala": ["LAB-ammattikorkeakoulu, Lappeenranta"],
    "kanta-hame": ["Hämeen ammattikorkeakoulu"],
    "satakunta": ["Satakunnan ammattikorkeakoulu"],
    "kainuu": ["Kajaanin ammattikorkeakoulu"],
    "keski-pohjanmaa": ["Centria-ammattikorkeakoulu", "Chydenius-instituutti, Jyväskylän yliopisto"],
    "etela-savo": ["Kaakkois-Suomen ammattikorkeakoulu Xamk, Mikkeli"],
    "kymenlaakso": ["Kaakkois-Suomen ammattikorkeakoulu Xamk"],
    "ita-uusimaa": ["Laurea-ammattikorkeakoulu, Porvoo"],
    "keski-uusimaa": ["Laurea-ammattikorkeakoulu, Hyvinkää"],
}

# --------------------------------------------------------------------------
# Topics: how people describe the work. fi_n = noun phrases (CV lists,
# "osaamisalueita ovat ..."), fi_1 = first-person sentences, fi_3 =
# third-person sentences starting "Hän", sv_1/en_1 first-person sentences,
# sv_n/en_n noun phrases.
# --------------------------------------------------------------------------
T = {}

T["child_welfare"] = dict(
    fi_n=["lastensuojelun avohuollon tukitoimet ja asiakassuunnitelmat",
          "lastensuojelutarpeen selvitykset ja kiireelliset arviot",
          "lastensuojeluilmoitusten käsittely ja huolen arviointi"],
    fi_1=["Teen lastensuojelutarpeen selvityksiä ja kuljen perheiden rinnalla avohuollon asiakkuuksissa.",
          "Olen työskennellyt kymmenen vuotta lastensuojelun avohuollossa, viime vuodet vaativien asiakkuuksien tiimissä.",
          "Minulta voi kysyä, milloin huoli lapsesta ylittää ilmoituskynnyksen ja mitä lastensuojeluilmoituksen jälkeen tapahtuu.",
          "Työskentelen perheiden kanssa, joista on tehty useita ilmoituksia, mutta tilanne ei tunnu muuttuvan."],
    fi_3=["Hän on vastannut lastensuojeluasiakkuuksista, joissa lapsen kotona on ollut pitkään vakavaa huolenpidon puutetta.",
          "Hänen työnsä painottuu lastensuojelun avohuollon tukitoimiin ja lapsen asioista vastaavan sosiaalityöntekijän tehtäviin."],
    sv_1=["Jag arbetar med barnskyddsutredningar och stödåtgärder inom öppenvården.",
          "Jag har lång erfarenhet av barnskyddsanmälningar och av att bedöma när ett barn behöver skydd."],
    sv_n=["barnskyddets öppenvård och klientplaner", "utredning av barnskyddsbehov"],
    en_1=["I carry out child protection assessments and support families in community-based child welfare.",
          "I work with families where repeated child protection referrals have not led to any real change."],
    en_n=["child protection assessments and in-home support", "statutory child welfare casework"],
)
T["foster_care"] = dict(
    fi_n=["huostaanottoon johtavat prosessit ja sijaishuollon suunnittelu",
          "kodin ulkopuolelle sijoitettujen lasten asioiden hoito",
          "sijaishuoltopaikan valinta ja sijoitusten katkeamisen ehkäisy"],
    fi_1=["Valmistelen huostaanottoja ja etsin lapselle sopivan sijaishuoltopaikan, kun kotona asuminen ei enää ole turvallista.",
          "Työskentelen kodin ulkopuolelle sijoitettujen lasten ja heidän vanhempiensa kanssa koko sijoituksen ajan.",
          "Olen erikoistunut tilanteisiin, joissa sijoitus uhkaa katketa ja lapsi on jo ehtinyt kokea monta muuttoa."],
    fi_3=["Hän toimii huostaan otettujen lasten asioista vastaavana sosiaalityöntekijänä ja tuntee sijaishuollon arjen.",
          "Hänen erityisalaansa ovat toistuvasti katkenneet sijoitukset ja lapsen paluu kotiin huostaanoton jälkeen."],
    sv_1=["Jag arbetar med omhändertagna barn och med att hitta rätt placering när barnet inte kan bo hemma.",
          "Jag följer placerade barn och deras föräldrar under hela placeringen."],
    sv_n=["placeringar utom hemmet och omhändertaganden"],
    en_1=["I work with children taken into care and plan where they can live safely.",
          "I follow children in out-of-home placements and try to prevent placement breakdowns."],
    en_n=["out-of-home placements and care proceedings"],
)
T["institutional_care"] = dict(
    fi_n=["nuorisokodin arjen rakenteet ja rajoitustoimenpiteet",
          "lastensuojelulaitoksen kasvatuksellinen työote",
          "erityisen huolenpidon jaksot"],
    fi_1=["Olen johtanut nuorisokotia, jossa asuu karkailevia ja rikoksilla oireilevia nuoria.",
          "Työskentelen ammatillisessa perhekodissa ja tiedän, miten rajoitustoimenpiteitä saa lain mukaan käyttää.",
          "Teen laitoksessa asuvien nuorten kanssa omaohjaajatyötä ja kehitän yksikön turvallisuuskäytäntöjä."],
    fi_3=["Hän on työskennellyt vuosia lastensuojelulaitoksissa, viimeksi erityisen huolenpidon yksikön vastaavana.",
          "Hänellä on kokemusta nuorisokotien yhteisöhoidosta ja väkivaltatilanteiden jälkipuinnista."],
    sv_1=["Jag är föreståndare för ett ungdomshem och arbetar med unga som rymmer och utmanar de vuxna.",
          "Jag arbetar på en barnskyddsanstalt och ansvarar för begränsningsåtgärder och säkerhet."],
    sv_n=["anstaltsvård och begränsningsåtgärder på barnskyddsanstalter"],
    en_1=["I have managed a residential children's home for teenagers who run away again and again.",
          "I work in a residential unit and train staff in safe use of restrictive measures."],
    en_n=["residential child care and the use of restrictive measures"],
)
T["family_foster_care"] = dict(
    fi_n=["sijaisperheiden ennakkovalmennus ja tuki", "perhehoitajien jaksamisen tukeminen",
          "sukulais- ja läheisverkostosijoitukset"],
    fi_1=["Valmennan tulevia sijaisvanhempia ja tuen perhehoitajia, kun perheeseen sijoitettu lapsi oireilee rajusti.",
          "Teen perhehoidon sosiaalityötä: sopivan sijaisperheen löytäminen, toimeksiantosopimukset ja perhehoitajien tuki.",
          "Olen itse ollut sijaisvanhempi viisitoista vuotta ja koulutan nyt muita perhehoitajia."],
    fi_3=["Hän tukee sijaisperheitä silloin, kun sijoitetun lapsen käytös kuormittaa koko perhettä.",
          "Hänen vastuullaan on perhehoitajien rekrytointi ja ennakkovalmennus."],
    sv_1=["Jag stöder fosterfamiljer och familjehem när det placerade barnet mår dåligt.",
          "Jag förbereder blivande fosterföräldrar och handleder familjevårdare."],
    sv_n=["stöd till fosterföräldrar och familjehem"],
    en_1=["I recruit, train and support foster families.",
          "I support foster carers when a placed child's behaviour starts to wear the whole family down."],
    en_n=["support for foster parents and kinship carers"],
)
T["family_work"] = dict(
    fi_n=["tehostettu perhetyö kodeissa", "perhekuntoutus ja vanhemmuuden arviointi",
          "kotiin vietävä tuki vauvaperheille"],
    fi_1=["Teen tehostettua perhetyötä: käyn perheiden kotona aamuisin ja iltaisin, kun arjen rytmi on hajonnut.",
          "Työskentelen perhekuntoutusyksikössä, jossa koko perhe asuu kanssamme muutaman viikon jakson.",
          "Autan vanhempia, jotka eivät jaksa asettaa rajoja tai huolehtia lasten perustarpeista."],
    fi_3=["Hän on tehnyt perhetyötä lapsiperheissä, joissa vanhempien omat voimavarat ovat loppuneet.",
          "Hän arvioi vanhemmuutta perhekuntoutusjaksoilla ja kirjoittaa niistä lausuntoja."],
    sv_1=["Jag gör intensivt familjearbete i hemmen och ordnar familjerehabilitering.",
          "Jag hjälper föräldrar som inte orkar sätta gränser eller sköta barnens vardag."],
    sv_n=["familjearbete och bedömning av föräldraskap"],
    en_1=["I do intensive home-based family work with parents who struggle with everyday routines.",
          "I run residential family rehabilitation where the whole family stays with us for a few weeks."],
    en_n=["family rehabilitation and parenting assessments"],
)
T["supervision"] = dict(
    fi_n=["sijaishuoltopaikkojen valvontakäynnit", "sijaishuollon ohjaus ja valvonta",
          "yksityisten lastensuojeluyksiköiden omavalvonta"],
    fi_1=["Teen valvontakäyntejä lastensuojelulaitoksiin ja perhekoteihin ja haastattelen siellä asuvia lapsia.",
          "Vastaan hyvinvointialueen sijaishuollon ohjauksesta ja valvonnasta sekä epäkohtiin puuttumisesta.",
          "Käyn läpi yksiköiden omavalvontasuunnitelmat ja lasten tekemät muistutukset."],
    fi_3=["Hän vastaa sijaishuoltopaikkojen valvonnasta ja tekee myös ennalta ilmoittamattomia tarkastuskäyntejä.",
          "Hän on kehittänyt sijaishuollon valvonnan mallia, jossa sijoitetun lapsen oma kokemus kuullaan."],
    sv_1=["Jag gör tillsynsbesök på barnskyddsanstalter och i familjehem.",
          "Jag ansvarar för handledning och tillsyn av vård utom hemmet i välfärdsområdet."],
    sv_n=["tillsyn och handledning av vård utom hemmet"],
    en_1=["I carry out inspection visits to residential units and foster homes.",
          "I am responsible for the oversight of placements bought from private providers."],
    en_n=["monitoring and oversight of placements"],
)
T["shared_clients"] = dict(
    fi_n=["lastensuojelun ja nuorisopsykiatrian yhteisasiakkaiden hoidon yhteensovittaminen",
          "yhdistelmäyksikön kehittäminen", "psykiatrisen hoidon järjestäminen sijoitetuille nuorille"],
    fi_1=["Työskentelen nuorten kanssa, jotka ovat yhtä aikaa lastensuojelun ja psykiatrian asiakkaita ja putoavat helposti palvelujen väliin.",
          "Olen mukana kehittämässä yhdistelmäyksikköä, jossa sijaishuolto ja psykiatrinen hoito ovat saman katon alla.",
          "Sovitan yhteen psykiatrisen hoidon ja lastensuojelun silloin, kun kumpikaan ei yksin riitä."],
    fi_3=["Hän tuntee lastensuojelun ja psykiatrian rajapinnan: nuoret, jotka siirtyvät osastolta laitokseen ja takaisin.",
          "Hän koordinoi yhteisasiakkuuksia, joissa sosiaalityö ja nuorisopsykiatria tekevät hoitosuunnitelman yhdessä."],
    sv_1=["Jag arbetar med unga som samtidigt är klienter inom barnskyddet och psykiatrin.",
          "Jag samordnar vården när en ung person pendlar mellan psykiatrisk avdelning och anstalt."],
    sv_n=["gemensamma klienter mellan barnskydd och psykiatri"],
    en_1=["I work with young people who are clients of both child welfare and psychiatry and fall between services.",
          "I coordinate care for teenagers who move between a psychiatric ward and a residential unit."],
    en_n=["dual-system youth between child welfare and mental health services"],
)
T["child_psychiatry"] = dict(
    fi_n=["alle 13-vuotiaiden psykiatrinen arviointi ja hoito", "lastenpsykiatriset perhetutkimukset",
          "pienten lasten tunne-elämän ja vuorovaikutuksen vaikeudet"],
    fi_1=["Olen lastenpsykiatri ja tutkin alakouluikäisiä, joilla on rajuja raivokohtauksia, ahdistusta tai masennusta.",
          "Työskentelen lastenpsykiatrian osastolla, jonne tulevat kaikkein vaikeimmin oirehtivat alle kolmetoistavuotiaat.",
          "Teen vauva- ja leikki-ikäisten vuorovaikutusarvioita lastenpsykiatrian poliklinikalla."],
    fi_3=["Hän on lastenpsykiatrian erikoislääkäri, jonka työ painottuu ahdistuneisiin ja käytösoireisiin lapsiin.",
          "Hän tutkii ja hoitaa lapsia, joiden pelot ja raivokohtaukset ovat alkaneet hallita koko perheen elämää."],
    sv_1=["Jag är barnpsykiater och utreder barn i lågstadieåldern med svår ångest och utbrott.",
          "Jag arbetar på en barnpsykiatrisk avdelning för de barn under tretton som mår allra sämst."],
    sv_n=["barnpsykiatrisk utredning och behandling"],
    en_1=["I am a child psychiatrist working with primary-school children with severe anxiety, rages and low mood.",
          "I assess infants and toddlers together with their parents at a child psychiatric clinic."],
    en_n=["child mental health assessment and treatment"],
)
T["adolescent_psychiatry"] = dict(
    fi_n=["nuorisopsykiatrinen arviointi ja hoito", "nuorten masennuksen ja ahdistuksen hoito",
          "psykoosiriskissä olevien nuorten varhainen tunnistaminen"],
    fi_1=["Hoidan nuorisopsykiatrian poliklinikalla masentuneita ja ahdistuneita teini-ikäisiä.",
          "Työskentelen nuorisopsykiatrian osastolla, jossa hoidetaan akuutisti psykoottisia ja vakavasti masentuneita nuoria.",
          "Tapaan nuoria, jotka eivät ole jaksaneet nousta sängystä viikkoihin ja ovat vetäytyneet kaikesta."],
    fi_3=["Hän on nuorisopsykiatri, joka on erikoistunut nuorten vakavaan masennukseen ja persoonallisuuden kehityksen häiriöihin.",
          "Hän on työskennellyt nuorisopsykiatrisella osastolla ja avohoidossa lähes kaksikymmentä vuotta."],
    sv_1=["Jag arbetar inom ungdomspsykiatrin med deprimerade och ångestfyllda tonåringar.",
          "Jag träffar unga som har slutat gå upp ur sängen och dragit sig undan allt."],
    sv_n=["ungdomspsykiatrisk bedömning och vård"],
    en_1=["I treat depressed and anxious teenagers at an adolescent psychiatric outpatient clinic.",
          "I work on an adolescent psychiatric ward with young people in acute crisis or early psychosis."],
    en_n=["youth mental health and adolescent psychiatric care"],
)
T["specialist_care"] = dict(
    fi_n=["erikoissairaanhoidon lähetekäytännöt ja hoidon porrastus",
          "somaattisen ja psykiatrisen erikoissairaanhoidon yhteistyö",
          "pitkäaikaissairaiden lasten perheiden psykososiaalinen tuki"],
    fi_1=["Toimin sairaalan sosiaalityöntekijänä lastenklinikalla ja autan perheitä, kun lapsen vakava sairaus kuormittaa kaikkia.",
          "Työskentelen yliopistosairaalan lasten ja nuorten klinikalla ja konsultoin, kun perustason keinot eivät riitä.",
          "Selvitän, milloin lapsi tarvitsee erikoislääkärin arvion ja miten lähete kannattaa kirjoittaa."],
    fi_3=["Hän on työskennellyt erikoissairaanhoidossa pitkäaikaissairaiden lasten ja heidän perheidensä kanssa.",
          "Hän koordinoi hoitoa lapsille, joiden sairaus vaatii sekä somaattisen että psykiatrisen erikoissairaanhoidon."],
    sv_1=["Jag arbetar inom den specialiserade sjukvården vid en barnklinik.",
          "Jag hjälper familjer när ett barns långvariga sjukdom kräver specialistvård."],
    sv_n=["specialistvård och remisspraxis"],
    en_1=["I work in specialist hospital care at a university children's hospital.",
          "I coordinate specialist care for children whose illness needs both paediatric and psychiatric teams."],
    en_n=["specialist medical care pathways and referrals"],
)
T["disability"] = dict(
    fi_n=["kehitysvammaisten lasten ja nuorten palvelut", "vammaispalvelujen ja lastensuojelun yhteistyö",
          "vaikeasti monivammaisten lasten lyhytaikaishoito"],
    fi_1=["Työskentelen kehitysvammaisten nuorten kanssa, joiden käytös on muuttunut murrosiässä haastavaksi.",
          "Olen vammaispalvelujen sosiaalityöntekijä ja järjestän tukea perheille, joissa lapsella on vaikea kehitysvamma.",
          "Autan perheitä, joiden lapsi ei puhu ja tarvitsee apua kaikessa arjessa."],
    fi_3=["Hän tuntee vammaispalvelulain ja sen, miten erityishuolto ja lastensuojelu sovitetaan yhteen.",
          "Hän on työskennellyt vaikeasti vammaisten lasten asumisyksikössä ja perheiden tukena."],
    sv_1=["Jag arbetar med barn och unga med utvecklingsstörning och deras familjer.",
          "Jag ordnar stöd för familjer där barnet har en svår funktionsnedsättning."],
    sv_n=["funktionshinderservice för barn med intellektuell funktionsnedsättning"],
    en_1=["I work with children with intellectual disabilities and their families.",
          "I support families whose child does not speak and needs help with everything."],
    en_n=["disability services for children and young people"],
)
T["neurodevelopmental"] = dict(
    fi_n=["ADHD:n ja autismikirjon arvioinnit", "neuropsykiatrinen valmennus",
          "nepsy-lasten vanhempien ohjaus"],
    fi_1=["Teen ADHD- ja autismitutkimuksia ja ohjaan vanhempia, joiden lapsi ei pysy paikallaan eikä kestä muutoksia.",
          "Olen neuropsykiatrinen valmentaja ja tuen nuoria, joiden arki hajoaa toiminnanohjauksen vaikeuksiin.",
          "Työskentelen autismikirjon nuorten kanssa, jotka ahdistuvat melusta ja yllättävistä tilanteista."],
    fi_3=["Hän on neuropsykologi, joka arvioi lasten tarkkaavaisuuden ja vuorovaikutuksen vaikeuksia.",
          "Hän ohjaa perheitä, joissa lapsen ADHD tai autismi näkyy jatkuvina konflikteina kotona ja koulussa."],
    sv_1=["Jag gör neuropsykiatriska utredningar av barn med misstänkt ADHD eller autism.",
          "Jag coachar unga med ADHD vars vardag faller sönder på grund av svårigheter med planering."],
    sv_n=["neuropsykiatriska funktionsnedsättningar och coaching"],
    en_1=["I assess children for ADHD and autism and coach parents in everyday strategies.",
          "I work with autistic teenagers who are overwhelmed by noise and sudden changes."],
    en_n=["ADHD and autism spectrum assessments"],
)
T["substance_abuse"] = dict(
    fi_n=["nuorten päihdehoito ja huumeseulonnat", "päihteitä käyttävien nuorten tavoittaminen",
          "kannabiksen ja lääkkeiden sekakäytön hoito"],
    fi_1=["Työskentelen nuorten kanssa, jotka polttavat pilveä päivittäin tai käyttävät lääkkeitä ja alkoholia sekaisin.",
          "Olen nuorisoaseman päihdetyöntekijä ja tapaan myös nuoria, jotka ovat jo myyneet huumeita.",
          "Teen katkaisuhoidon jälkeistä päihdekuntoutusta alaikäisten kanssa."],
    fi_3=["Hän on tehnyt päihdetyötä nuorten parissa yli kymmenen vuotta, erityisesti huumeita käyttävien teinien kanssa.",
          "Hänen erityisosaamistaan on nuorten opioidien ja kannabiksen käyttö."],
    sv_1=["Jag arbetar med unga som använder droger och alkohol.",
          "Jag träffar tonåringar som röker cannabis varje dag."],
    sv_n=["missbruksvård för unga"],
    en_1=["I work with teenagers who use cannabis, pills and alcohol.",
          "I run an outreach service for young people who are already dealing drugs."],
    en_n=["youth substance use treatment"],
)
T["criminal_sanctions"] = dict(
    fi_n=["nuorisorangaistuksen täytäntöönpano", "rikoksilla oireilevien nuorten kuntoutus",
          "ehdollisesti tuomittujen nuorten valvonta"],
    fi_1=["Työskentelen nuorten kanssa, jotka ovat saaneet ehdollisen tuomion tai nuorisorangaistuksen.",
          "Tapaan nuoria, jotka ovat tehneet toistuvasti ryöstöjä ja pahoinpitelyjä ja joita katujengit houkuttelevat.",
          "Teen seuraamusselvityksiä alle 21-vuotiaista rikoksesta epäillyistä."],
    fi_3=["Hän tekee työtä rikoksilla oireilevien nuorten kanssa ja tuntee nuoren rikosprosessin vaiheet.",
          "Hän on valvonut ehdollisesti tuomittuja nuoria ja kehittänyt jengiytymistä ehkäisevää työtä."],
    sv_1=["Jag arbetar med unga lagöverträdare och med verkställighet av ungdomsstraff.",
          "Jag träffar unga som dras in i gäng och begår rån och misshandel."],
    sv_n=["brottspåföljder för unga"],
    en_1=["I work with young offenders serving community sentences.",
          "I prepare pre-sentence reports on young people suspected of crimes."],
    en_n=["youth justice and juvenile offending"],
)
T["immigrants"] = dict(
    fi_n=["ilman huoltajaa maahan tulleiden alaikäisten tuki",
          "maahanmuuttajataustaisten perheiden kanssa tehtävä lastensuojelutyö",
          "tulkin välityksellä tehtävä työ ja kulttuurisensitiivisyys"],
    fi_1=["Työskentelen perheryhmäkodissa nuorten kanssa, jotka ovat tulleet Suomeen yksin ilman vanhempiaan.",
          "Tuen vastikään maahan muuttaneita perheitä, joille suomalainen lastensuojelu on vierasta ja pelottavaa.",
          "Teen työtä pakolaistaustaisten lasten kanssa ja käytän tulkkia lähes joka tapaamisessa."],
    fi_3=["Hän on työskennellyt turvapaikanhakijoiden vastaanottokeskuksessa ja tuntee oleskelulupaprosessin vaikutukset lapsiin.",
          "Hän tukee maahanmuuttajaperheitä ja kouluttaa ammattilaisia kulttuurisensitiivisessä työssä."],
    sv_1=["Jag arbetar med ensamkommande unga och med nyanlända familjer.",
          "Jag stöder flyktingfamiljer för vilka det finländska barnskyddet är främmande."],
    sv_n=["invandrarfamiljer och asylsökande barn"],
    en_1=["I work with unaccompanied minors and newly arrived refugee families.",
          "I support migrant parents who find the Finnish child welfare system strange and frightening."],
    en_n=["migrant and refugee families"],
)
T["radicalisation"] = dict(
    fi_n=["väkivaltaisen ääriajattelun ennaltaehkäisy", "irtautumistyö ääriliikkeistä",
          "verkossa radikalisoituvien nuorten tunnistaminen"],
    fi_1=["Tuen nuoria, jotka ovat ajautuneet äärioikeistolaisiin verkkoyhteisöihin ja ihannoivat koulusurmaajia.",
          "Teen irtautumistyötä nuorten kanssa, jotka haluavat jättää väkivaltaisen ääriliikkeen.",
          "Arvioin Ankkuri-tiimissä tilanteita, joissa nuoren puheissa näkyy väkivaltainen ideologia."],
    fi_3=["Hän on perehtynyt väkivaltaiseen ekstremismiin ja siihen, miten nuoret radikalisoituvat netissä.",
          "Hän kouluttaa opettajia tunnistamaan ääriajattelun merkkejä ja puuttumaan niihin."],
    sv_1=["Jag arbetar med att förebygga våldsbejakande extremism bland unga.",
          "Jag stöder unga som vill lämna extremistiska grupper."],
    sv_n=["radikalisering och avhopparverksamhet"],
    en_1=["I work on preventing violent extremism and support young people leaving extremist groups.",
          "I assess young people whose online talk shows signs of violent ideology."],
    en_n=["radicalisation and online extremism"],
)
T["honour_violence"] = dict(
    fi_n=["kunniaan liittyvän väkivallan tunnistaminen ja turvasuunnittelu", "pakkoavioliiton uhan arviointi",
          "suvun kontrollin alla elävien tyttöjen tuki"],
    fi_1=["Tuen tyttöjä, joita suku kontrolloi, joilta kielletään ystävät ja joita uhataan naittaa vastoin heidän tahtoaan.",
          "Teen turvasuunnitelmia nuorille, jotka pelkäävät perheensä reaktiota, jos heidän seurustelunsa paljastuu.",
          "Työskentelen järjestössä kunniakäsityksiin liittyvän väkivallan ja pakkoavioliittojen parissa."],
    fi_3=["Hän on kouluttanut viranomaisia kunniaväkivallan tunnistamisessa ja pakkoavioliittojen ehkäisyssä.",
          "Hän auttaa nuoria, joiden suku valvoo heidän pukeutumistaan, liikkumistaan ja ystäviään."],
    sv_1=["Jag arbetar med hedersrelaterat våld och förtryck och med unga som hotas av tvångsgifte.",
          "Jag gör säkerhetsplaner för flickor som kontrolleras av sin släkt."],
    sv_n=["hedersrelaterat våld och tvångsäktenskap"],
    en_1=["I support girls living under family control and the threat of forced marriage.",
          "I train professionals to recognise honour-based abuse and plan safety with the young person."],
    en_n=["honour-based violence and forced marriage"],
)
T["custody_disputes"] = dict(
    fi_n=["pitkittyneiden huoltoriitojen sovittelu", "olosuhdeselvitykset käräjäoikeudelle",
          "eroperheiden tapaamisriidat"],
    fi_1=["Teen olosuhdeselvityksiä käräjäoikeudelle, kun vanhemmat riitelevät vuosia lapsen asumisesta ja tapaamisista.",
          "Työskentelen eroperheiden kanssa, joissa riita on kiertänyt oikeudessa jo useamman kierroksen.",
          "Tuen lapsia, jotka joutuvat valitsemaan puolensa vanhempiensa erossa."],
    fi_3=["Hän on perheasioiden sovittelija, joka on erikoistunut pitkittyneisiin huoltajuuskiistoihin.",
          "Hän tekee lapsen asumista ja tapaamisia koskevia selvityksiä tuomioistuimelle."],
    sv_1=["Jag gör utredningar åt tingsrätten i svåra tvister om vårdnad och boende.",
          "Jag arbetar med separerade föräldrar som har bråkat i domstol i flera år."],
    sv_n=["vårdnad, boende och umgänge i konfliktfyllda separationer"],
    en_1=["I do court-ordered assessments in high-conflict custody disputes.",
          "I mediate between separated parents who have fought in court for years over where the child lives."],
    en_n=["high-conflict separation and child arrangements"],
)
T["stalking"] = dict(
    fi_n=["vainoamisen riskinarviointi", "eron jälkeisen häirinnän vaikutukset lapsiin",
          "lähestymiskieltoon liittyvä neuvonta"],
    fi_1=["Tuen äitejä ja lapsia, joita entinen puoliso seuraa, viestittelee taukoamatta ja odottaa koulun portilla.",
          "Teen vainon riskinarvioita ja neuvon lähestymiskiellon hakemisessa.",
          "Työskentelen perheiden kanssa, joiden häirintä jatkuu eron jälkeen vuosia."],
    fi_3=["Hän on perehtynyt vainoamiseen ja siihen, miten vainoaja käyttää lasta ja tapaamisia välineenä.",
          "Hän on tutkinut vainoamista rikosylikonstaapelina ja tehnyt uhka-arvioita."],
    sv_1=["Jag stöder familjer som utsätts för förföljelse och trakasserier efter en separation.",
          "Jag gör riskbedömningar när en före detta partner förföljer familjen."],
    sv_n=["förföljelse och kontaktförbud"],
    en_1=["I support families who are stalked and harassed by a former partner.",
          "I assess stalking risk and advise on restraining orders."],
    en_n=["stalking risk assessment"],
)
T["parental_alienation"] = dict(
    fi_n=["vieraannuttamisen tunnistaminen",
          "vanhemmasta vieraantuneen lapsen ja vanhemman suhteen palauttaminen",
          "lapsen kieltäytyminen tapaamasta toista vanhempaansa"],
    fi_1=["Työskentelen tilanteissa, joissa lapsi yhtäkkiä kieltäytyy näkemästä isäänsä tai äitiään ja toinen vanhempi ruokkii pelkoa.",
          "Autan vanhempia ja lapsia rakentamaan yhteyden uudelleen, kun lapsi ei ole nähnyt vanhempaansa vuosiin.",
          "Arvioin, onko lapsen torjunta vieraannuttamista vai perusteltua pelkoa."],
    fi_3=["Hän on tutkinut vieraannuttamista ja sitä, miten lapsen kuva toisesta vanhemmasta muuttuu pitkässä riidassa.",
          "Hän tekee tapaamisten jälleenrakentamista perheissä, joissa lapsi on ollut vuosia erossa toisesta vanhemmastaan."],
    sv_1=["Jag arbetar med barn som vägrar träffa den ena föräldern efter en separation.",
          "Jag hjälper barn och föräldrar att återknyta kontakten efter flera års avbrott."],
    sv_n=["föräldraalienation och umgängesvägran"],
    en_1=["I work with children who refuse contact with one parent after separation.",
          "I help rebuild contact between a child and a parent they have not seen for years."],
    en_n=["parental alienation and contact refusal"],
)
T["domestic_violence"] = dict(
    fi_n=["lähisuhdeväkivallan riskinarviointi ja MARAK", "perheväkivaltaa nähneiden lasten tukeminen",
          "väkivaltaa käyttäville vanhemmille suunnattu työ"],
    fi_1=["Tapaan lapsia, jotka ovat nähneet kotona isän lyövän äitiä, ja autan heitä puhumaan kokemastaan.",
          "Työskentelen turvakodissa ja teen lasten kanssa turvallisuussuunnitelmia.",
          "Teen väkivaltatyötä vanhempien kanssa, jotka ovat käyttäneet väkivaltaa puolisoaan tai lapsiaan kohtaan."],
    fi_3=["Hän on työskennellyt turvakodissa ja perheväkivaltatyössä vuodesta 2008.",
          "Hän vetää ryhmiä lapsille, jotka ovat eläneet väkivaltaisessa kodissa."],
    sv_1=["Jag arbetar med barn som upplevt våld i hemmet och med föräldrar som utövar våld.",
          "Jag arbetar på ett skyddshem och gör säkerhetsplaner med barnen."],
    sv_n=["våld i nära relationer och skyddshem"],
    en_1=["I support children who have witnessed violence between their parents at home.",
          "I work with fathers who have been violent towards their partner or children."],
    en_n=["domestic abuse and intimate partner violence"],
)
T["child_sexual_abuse"] = dict(
    fi_n=["lasten seksuaalirikosepäilyjen selvittäminen", "oikeuspsykologiset lapsihaastattelut",
          "seksuaalista hyväksikäyttöä kokeneiden lasten hoito"],
    fi_1=["Teen oikeuspsykologisia tutkimuksia, kun epäillään, että lasta on käytetty seksuaalisesti hyväksi.",
          "Tutkin lapsiin kohdistuneita seksuaalirikoksia ja netissä tapahtuvaa houkuttelua.",
          "Hoidan lapsia, joita aikuinen on koskettanut seksuaalisesti tai kuvannut."],
    fi_3=["Hän on tutkinut lasten seksuaalista hyväksikäyttöä ja grooming-tapauksia rikosylikonstaapelina.",
          "Hän tekee lapsen haastatteluja seksuaalirikosepäilyissä ja kouluttaa muita haastattelijoita."],
    sv_1=["Jag utreder misstankar om sexuella övergrepp mot barn.",
          "Jag behandlar barn som utsatts för sexuella övergrepp av en vuxen."],
    sv_n=["sexualbrott mot barn och rättspsykologiska utredningar"],
    en_1=["I investigate suspected sexual abuse of children and online grooming.",
          "I do forensic interviews with children when sexual abuse is suspected."],
    en_n=["child sexual abuse investigations"],
)
T["self_harm"] = dict(
    fi_n=["itsetuhoisten nuorten kriisihoito", "viiltelevien nuorten hoito", "itsemurhavaaran arviointi"],
    fi_1=["Työskentelen nuorten kanssa, jotka viiltelevät, ovat yrittäneet itsemurhaa tai puhuvat kuolemasta.",
          "Arvioin päivystyksessä itsemurhavaaraa ja teen nuoren kanssa turvasuunnitelman kotiin.",
          "Tuen vanhempia, jotka ovat löytäneet lapsensa huoneesta teriä ja verisiä siteitä."],
    fi_3=["Hän on kehittänyt itseään vahingoittavien nuorten hoitoa sekä osastolla että kotiin vietävänä.",
          "Hän on työskennellyt nuorisopsykiatrisessa päivystyksessä itsetuhoisten nuorten kanssa."],
    sv_1=["Jag arbetar med unga som skadar sig själva eller har självmordstankar.",
          "Jag bedömer självmordsrisk på jouren och gör säkerhetsplaner med familjen."],
    sv_n=["självskadebeteende och suicidprevention"],
    en_1=["I work with young people who self-harm or have attempted suicide.",
          "I assess suicide risk in the emergency clinic and make safety plans with families."],
    en_n=["self-harm and suicide risk assessment"],
)
T["eating_disorders"] = dict(
    fi_n=["anoreksian perhepohjainen hoito", "syömishäiriöiden varhainen tunnistaminen",
          "ahmimis- ja oksentelukierteen hoito"],
    fi_1=["Työskentelen syömättömyyden ja laihduttamisen kierteessä olevien nuorten ja heidän perheidensä kanssa.",
          "Hoidan nuoria, jotka ovat laihtuneet vaarallisesti, laskevat kaloreita pakonomaisesti tai oksentavat aterioiden jälkeen.",
          "Autan perheitä, joissa jokainen ateria on muuttunut taisteluksi."],
    fi_3=["Hän on työskennellyt syömishäiriöyksikössä ja tuntee anoreksian ja bulimian hoidon.",
          "Hän hoitaa nuoria, joiden syöminen on kaventunut muutamaan hyväksyttyyn ruokaan ja paino laskee."],
    sv_1=["Jag behandlar unga med ätstörningar, till exempel anorexi och bulimi.",
          "Jag arbetar med tonåringar som slutat äta och familjer där varje måltid blivit en kamp."],
    sv_n=["ätstörningar och familjebaserad behandling"],
    en_1=["I treat adolescents with anorexia and bulimia using family-based treatment.",
          "I work with teenagers who restrict food, count every calorie or make themselves sick after meals."],
    en_n=["eating disorders in young people"],
)
T["school_absence"] = dict(
    fi_n=["koulusta kieltäytymisen ja pitkien poissaolojen ratkaiseminen",
          "kotiin jäävien nuorten kouluun paluun tukeminen", "koulupudokkuuden ehkäisy"],
    fi_1=["Työskentelen nuorten kanssa, jotka eivät ole käyneet koulussa kuukausiin ja viettävät päivät huoneessaan.",
          "Autan perheitä, joissa lapsella on joka aamu vatsakipuja eikä hän pääse lähtemään kouluun.",
          "Rakennan porrastettuja kouluunpaluusuunnitelmia yhdessä oppilashuollon kanssa."],
    fi_3=["Hän on koulukuraattori, joka on erikoistunut kouluun menemättömiin ja pitkään poissa olleisiin oppilaisiin.",
          "Hän on kehittänyt koulussa mallin, jolla poissaoloihin puututaan jo ensimmäisten viikkojen aikana."],
    sv_1=["Jag arbetar med hemmasittare och elever med omfattande skolfrånvaro.",
          "Jag hjälper elever som har magont varje morgon och inte kommer iväg till skolan."],
    sv_n=["skolfrånvaro och skolvägran"],
    en_1=["I help pupils who refuse to go to school return step by step.",
          "I work with teenagers who have not been to school for months and stay in their room all day."],
    en_n=["school refusal and persistent absence"],
)
T["trauma"] = dict(
    fi_n=["traumaperäisten oireiden hoito lapsilla", "kaltoinkohtelun jälkeinen traumapsykoterapia",
          "kiintymyssuhdetrauman tunnistaminen"],
    fi_1=["Hoidan lapsia, jotka ovat kokeneet kaltoinkohtelua, heräävät öisin painajaisiin ja säikkyvät ääniä.",
          "Olen traumapsykoterapeutti ja työskentelen sodan ja väkivallan kokeneiden nuorten kanssa.",
          "Tuen nuoria, joilla on PTSD-oireita vakavan onnettomuuden tai väkivallan jälkeen."],
    fi_3=["Hän on erikoistunut lapsuuden traumakokemuksiin ja siihen, miten ne näkyvät koulussa ja sijaisperheessä.",
          "Hän kouluttaa työyhteisöjä traumatietoiseen työotteeseen."],
    sv_1=["Jag arbetar med traumatiserade barn och unga som utsatts för våld eller försummelse.",
          "Jag behandlar barn som har mardrömmar och skräms av ljud efter svåra upplevelser."],
    sv_n=["trauma och traumabehandling för barn"],
    en_1=["I treat children with trauma symptoms after abuse and neglect.",
          "I work with young people who have nightmares and flashbacks after war or violence."],
    en_n=["trauma-informed care and PTSD treatment"],
)
T["education_support"] = dict(
    fi_n=["vaativan erityisen tuen järjestäminen koulussa", "pienryhmäopetus ja erityisopetus",
          "VIP-verkoston konsultaatiot"],
    fi_1=["Olen erityisopettaja pienluokassa, jossa opiskelee oppilaita, jotka eivät pärjää yleisopetuksen luokassa.",
          "Konsultoin kouluja, kun oppilaan käytös tai oppimisen vaikeudet ylittävät tavallisen tuen keinot.",
          "Työskentelen sairaalakoulussa ja suunnittelen oppilaan paluuta omaan kouluunsa."],
    fi_3=["Hän on mukana vaativan erityisen tuen VIP-verkostossa ja kouluttaa opettajia kohtaamaan haastavasti käyttäytyviä oppilaita.",
          "Hän on sairaalaopettaja, joka rakentaa koulupolkua psykiatrisessa hoidossa oleville oppilaille."],
    sv_1=["Jag är speciallärare och arbetar med elever i behov av krävande särskilt stöd.",
          "Jag konsulterar skolor när en elevs beteende eller inlärningssvårigheter går över det vanliga stödet."],
    sv_n=["specialundervisning och krävande särskilt stöd"],
    en_1=["I am a special education teacher for pupils who need intensive support at school.",
          "I teach at a hospital school and plan pupils' return to their own school."],
    en_n=["complex special educational needs"],
)

# Experts by experience tell their own story (fi, sv, en).
EXP = {
    "child_welfare": ("Olen kasvanut perheessä, joka oli vuosia lastensuojelun asiakkaana, ja kerron, miltä tuki tuntui lapsen silmin.",
                      "Jag växte upp i en familj som var klient inom barnskyddet i många år.",
                      "I grew up in a family that was a child welfare client for years and tell what the support felt like to a child."),
    "foster_care": ("Olin itse huostaan otettuna ja sijoitettuna kodin ulkopuolelle 12-vuotiaasta täysi-ikäiseksi.",
                    "Jag var själv omhändertagen och placerad utom hemmet från tolv års ålder.",
                    "I was taken into care at twelve and lived in placements until I turned eighteen."),
    "institutional_care": ("Asuin teini-ikäisenä kolmessa eri nuorisokodissa ja kerron nyt, mikä laitoksessa auttoi ja mikä ei.",
                           "Jag bodde på tre olika ungdomshem som tonåring.",
                           "As a teenager I lived in three different residential homes and now tell staff what helped."),
    "family_foster_care": ("Kasvoin sijaisperheessä ja puhun siitä, miten sijaisvanhemmat voivat tukea lasta, jolla on ikävä omia vanhempiaan.",
                           "Jag växte upp i en fosterfamilj och berättar hur fosterföräldrar kan stöda ett barn som saknar sina egna föräldrar.",
                           "I grew up in a foster family and talk about how foster carers can help a child who misses their own parents."),
    "substance_abuse": ("Käytin nuorena huumeita ja olen ollut raittiina kahdeksan vuotta; puhun nuorille ja ammattilaisille omasta toipumisestani.",
                        "Jag använde droger som ung och har varit drogfri i åtta år.",
                        "I used drugs as a teenager and have been clean for eight years."),
    "adolescent_psychiatry": ("Olin nuorena pitkään nuorisopsykiatrisella osastolla ja kerron, mikä hoidossa auttoi.",
                              "Jag vårdades själv länge på en ungdomspsykiatrisk avdelning.",
                              "I spent a long time on an adolescent psychiatric ward myself."),
    "self_harm": ("Vahingoitin itseäni vuosia teini-iässä ja kerron nyt kouluissa, miten aikuinen voi ottaa asian puheeksi.",
                  "Jag skadade mig själv i flera år som tonåring och berättar nu i skolor hur vuxna kan ta upp saken.",
                  "I self-harmed for years as a teenager and now talk in schools about how adults can bring it up."),
    "eating_disorders": ("Sairastin nuorena anoreksiaa ja toimin nyt vertaistukena syömishäiriöön sairastuneiden nuorten vanhemmille.",
                         "Jag var sjuk i anorexi som ung och ger nu kamratstöd till föräldrar.",
                         "I had anorexia as a teenager and now offer peer support to parents."),
    "school_absence": ("Olin yläkoulussa lähes vuoden kotona enkä pystynyt menemään kouluun; kerron nyt, mikä auttoi palaamaan.",
                       "Jag satt hemma nästan ett år i högstadiet och berättar vad som hjälpte mig tillbaka.",
                       "I was out of school for almost a year at fourteen and share what helped me go back."),
}

TOPIC_CODES = list(T.keys())  # insertion order, fixed

# Main-topic weights (rarer hard topics are rarer, but never too rare).
TOPIC_WEIGHT = {
    "child_welfare": 5, "foster_care": 5, "institutional_care": 4, "family_foster_care": 4, "family_work": 5,
    "supervision": 3, "shared_clients": 4, "child_psychiatry": 5, "adolescent_psychiatry": 6,
    "specialist_care": 3, "disability": 4, "neurodevelopmental": 5, "substance_abuse": 5,
    "criminal_sanctions": 3, "immigrants": 4, "radicalisation": 3, "honour_violence": 3,
    "custody_disputes": 4, "stalking": 3, "parental_alienation": 3, "domestic_violence": 5,
    "child_sexual_abuse": 5, "self_harm": 5, "eating_disorders": 4, "school_absence": 4, "trauma": 5,
    "education_support": 4,
}
# Experts of immigrant background and Swedish speakers lean towards some topics.
IMMIGRANT_BOOST = {"immigrants": 5, "honour_violence": 4, "radicalisation": 2, "trauma": 2}
SWEDISH_BOOST = {"neurodevelopmental": 2.5, "custody_disputes": 2, "eating_disorders": 2, "self_harm": 2,
                 "family_work": 1.5, "school_absence": 1.5}

# Topics that go together in one person's work (second and third topics).
RELATED = {
    "child_welfare": ["foster_care", "family_work", "shared_clients", "domestic_violence"],
    "foster_care": ["family_foster_care", "institutional_care", "supervision", "child_welfare"],
    "institutional_care": ["foster_care", "shared_clients", "substance_abuse", "criminal_sanctions"],
    "family_foster_care": ["foster_care", "supervision", "trauma"],
    "family_work": ["child_welfare", "domestic_violence", "neurodevelopmental"],
    "supervision": ["foster_care", "institutional_care", "family_foster_care"],
    "shared_clients": ["adolescent_psychiatry", "institutional_care", "child_welfare", "self_harm"],
    "child_psychiatry": ["neurodevelopmental", "trauma", "specialist_care", "school_absence"],
    "adolescent_psychiatry": ["self_harm", "eating_disorders", "shared_clients", "school_absence"],
    "specialist_care": ["child_psychiatry", "eating_disorders", "disability"],
    "disability": ["neurodevelopmental", "education_support", "family_work"],
    "neurodevelopmental": ["disability", "education_support", "school_absence", "child_psychiatry"],
    "substance_abuse": ["criminal_sanctions", "adolescent_psychiatry", "institutional_care"],
    "criminal_sanctions": ["substance_abuse", "radicalisation", "institutional_care"],
    "immigrants": ["honour_violence", "trauma", "radicalisation"],
    "radicalisation": ["immigrants", "criminal_sanctions"],
    "honour_violence": ["immigrants", "domestic_violence"],
    "custody_disputes": ["parental_alienation", "stalking", "domestic_violence"],
    "stalking": ["custody_disputes", "domestic_violence"],
    "parental_alienation": ["custody_disputes"],
    "domestic_violence": ["trauma", "custody_disputes", "stalking", "child_sexual_abuse"],
    "child_sexual_abuse": ["trauma", "domestic_violence"],
    "self_harm": ["adolescent_psychiatry", "eating_disorders", "trauma"],
    "eating_disorders": ["adolescent_psychiatry", "self_harm", "specialist_care"],
    "school_absence": ["education_support", "neurodevelopmental", "adolescent_psychiatry"],
    "trauma": ["child_sexual_abuse", "domestic_violence", "immigrants"],
    "education_support": ["neurodevelopmental", "school_absence", "disability"],
}

# Sector weights per main topic.
SECTORS = {
    "child_welfare": {"social": 8, "ngo": 1, "research": 1, "experience_expert": 1},
    "foster_care": {"social": 8, "ngo": 1, "research": 1, "experience_expert": 2},
    "institutional_care": {"social": 8, "ngo": 1, "experience_expert": 2},
    "family_foster_care": {"social": 6, "ngo": 3, "experience_expert": 2},
    "family_work": {"social": 8, "ngo": 2, "other": 1},
    "supervision": {"social": 9, "research": 1},
    "shared_clients": {"social": 4, "health": 5, "research": 1},
    "child_psychiatry": {"health": 9, "research": 1},
    "adolescent_psychiatry": {"health": 9, "research": 1, "experience_expert": 1},
    "specialist_care": {"health": 9, "research": 1},
    "disability": {"social": 6, "health": 2, "ngo": 2},
    "neurodevelopmental": {"health": 5, "education": 3, "ngo": 2, "social": 1},
    "substance_abuse": {"health": 4, "social": 3, "ngo": 2, "police": 1, "experience_expert": 1},
    "criminal_sanctions": {"other": 5, "social": 2, "police": 2, "research": 1},
    "immigrants": {"social": 5, "ngo": 4, "health": 1, "research": 1},
    "radicalisation": {"police": 3, "ngo": 3, "social": 2, "research": 2},
    "honour_violence": {"ngo": 5, "police": 2, "social": 2, "prosecution": 1},
    "custody_disputes": {"social": 6, "other": 3, "ngo": 1, "research": 1},
    "stalking": {"police": 4, "ngo": 3, "social": 1, "prosecution": 1},
    "parental_alienation": {"social": 5, "other": 2, "research": 2},
    "domestic_violence": {"social": 3, "ngo": 3, "police": 2, "prosecution": 1, "health": 1},
    "child_sexual_abuse": {"police": 4, "health": 3, "prosecution": 2, "social": 1},
    "self_harm": {"health": 7, "ngo": 1, "experience_expert": 1},
    "eating_disorders": {"health": 7, "ngo": 1, "experience_expert": 1},
    "school_absence": {"education": 6, "social": 2, "health": 1, "experience_expert": 1},
    "trauma": {"health": 6, "other": 2, "ngo": 1, "research": 1},
    "education_support": {"education": 9, "research": 1},
}

# Methods that fit a topic.
TOPIC_METHODS = {
    "child_welfare": ["systemic_model", "lapset_puheeksi", "open_dialogue"],
    "foster_care": ["systemic_model", "open_dialogue"],
    "institutional_care": ["dbt_a", "open_dialogue"],
    "family_foster_care": ["pmto", "incredible_years", "tf_cbt"],
    "family_work": ["systemic_model", "fft", "pmto", "incredible_years", "lapset_puheeksi"],
    "supervision": ["systemic_model"],
    "shared_clients": ["open_dialogue", "dbt_a", "mdft"],
    "child_psychiatry": ["cool_kids", "lapset_puheeksi", "tf_cbt", "incredible_years"],
    "adolescent_psychiatry": ["ipc", "dbt_a", "open_dialogue"],
    "specialist_care": ["lapset_puheeksi"],
    "disability": ["pmto"],
    "neurodevelopmental": ["incredible_years", "pmto", "cool_kids"],
    "substance_abuse": ["mdft", "mst"],
    "criminal_sanctions": ["mst", "fft", "mdft"],
    "immigrants": ["tf_cbt", "lapset_puheeksi"],
    "radicalisation": ["open_dialogue"],
    "honour_violence": [],
    "custody_disputes": ["lapset_puheeksi"],
    "stalking": [],
    "parental_alienation": [],
    "domestic_violence": ["lasta", "barnahus"],
    "child_sexual_abuse": ["barnahus", "lasta", "tf_cbt"],
    "self_harm": ["dbt_a", "ipc"],
    "eating_disorders": [],
    "school_absence": ["cool_kids"],
    "trauma": ["tf_cbt"],
    "education_support": ["lapset_puheeksi", "incredible_years"],
}

# Method phrases: fi sentences (first person), fi noun phrase, sv, en, English name.
M = {
    "ipc": dict(fi_1=["Käytän masentuneiden nuorten kanssa IPC-ohjantaa.", "Olen kouluttautunut IPC-ohjaajaksi."],
                fi_n="IPC-ohjanta", sv="IPC-rådgivning för deprimerade unga", en="Interpersonal Counselling (IPC)"),
    "barnahus": dict(fi_1=["Teen Barnahus-yhteistyötä poliisin, syyttäjän ja lastensuojelun kanssa.",
                           "Olen mukana alueen Barnahus-tiimissä."],
                     fi_n="Barnahus-yhteistyö", sv="Barnahusmodellen", en="the Barnahus model"),
    "lasta": dict(fi_1=["Kuulun LASTA-tiimiin, joka selvittää lapsiin kohdistuvaa väkivaltaa moniammatillisesti.",
                        "Vedän alueen LASTA-yhteistyöryhmää."],
                  fi_n="LASTA-yhteistyö", sv="LASTA-samarbetet", en="the LASTA multi-agency model"),
    "mdft": dict(fi_1=["Olen MDFT-terapeutti ja teen perheterapiaa päihteitä käyttävien nuorten perheiden kanssa.",
                       "Käytän työssäni MDFT:tä."],
                 fi_n="MDFT-perheterapia", sv="MDFT-terapi", en="Multidimensional Family Therapy (MDFT)"),
    "systemic_model": dict(fi_1=["Työskentelen systeemisessä tiimissä, jossa perheterapeutti on mukana asiakastyössä.",
                                 "Olen ollut viemässä systeemistä toimintamallia käytäntöön lastensuojelussa."],
                           fi_n="systeeminen toimintamalli", sv="systemiskt arbetssätt i barnskyddet",
                           en="systemic practice"),
    "lapset_puheeksi": dict(fi_1=["Käyn vanhempien kanssa Lapset puheeksi -keskusteluja.",
                                  "Koulutan ammattilaisia Lapset puheeksi -menetelmään."],
                            fi_n="Lapset puheeksi -keskustelut", sv="Låt oss tala om barnen",
                            en="Let's Talk about Children"),
    "cool_kids": dict(fi_1=["Ohjaan Cool Kids -ryhmiä ahdistuneille lapsille ja heidän vanhemmilleen.",
                            "Käytän Cool Kids -ohjelmaa ahdistuneisuuden hoidossa."],
                      fi_n="Cool Kids -ryhmät", sv="Cool Kids-grupper", en="the Cool Kids anxiety programme"),
    "mst": dict(fi_1=["Olen MST-terapeutti ja työskentelen nuoren koko ympäristön kanssa kotona, koulussa ja kaveripiirissä.",
                      "Teen multisysteemistä terapiaa."],
                fi_n="MST-työ", sv="MST-behandling", en="Multisystemic Therapy (MST)"),
    "fft": dict(fi_1=["Teen toiminnallista perheterapiaa (FFT) perheille, joiden nuori oireilee käytöksellä.",
                      "Olen koulutettu FFT-terapeutti."],
                fi_n="FFT-perheterapia", sv="FFT-familjeterapi", en="Functional Family Therapy (FFT)"),
    "incredible_years": dict(fi_1=["Ohjaan Ihmeelliset vuodet -vanhempainryhmiä.",
                                   "Käytän Ihmeelliset vuodet -ohjelmaa päiväkodeissa ja vanhempainryhmissä."],
                             fi_n="Ihmeelliset vuodet -ryhmät", sv="De otroliga åren", en="Incredible Years"),
    "pmto": dict(fi_1=["Olen PMTO-terapeutti ja ohjaan vanhempia, kun lapsen uhmakas käytös on karannut käsistä.",
                       "Teen PMTO-työtä vanhempien kanssa."],
                 fi_n="PMTO-vanhemmuusohjaus", sv="PMTO-föräldraträning", en="PMTO parent training"),
    "dbt_a": dict(fi_1=["Vedän DBT-A-taitoryhmiä nuorille ja heidän vanhemmilleen.",
                        "Olen kouluttautunut nuorten dialektiseen käyttäytymisterapiaan."],
                  fi_n="DBT-A-taitoryhmät", sv="DBT-A för ungdomar", en="DBT for Adolescents (DBT-A)"),
    "tf_cbt": dict(fi_1=["Olen TF-CBT-terapeutti.", "Käytän traumojen hoidossa traumafokusoitua kognitiivista käyttäytymisterapiaa."],
                   fi_n="TF-CBT", sv="TF-KBT", en="Trauma-Focused CBT (TF-CBT)"),
    "open_dialogue": dict(fi_1=["Järjestän avoimen dialogin verkostokokouksia perheen ja verkoston kanssa.",
                                "Työotteeni on dialoginen: kutsun perheen ja verkoston samaan pöytään."],
                          fi_n="avoimen dialogin verkostokokoukset", sv="öppen dialog med nätverket",
                          en="Open Dialogue network meetings"),
}
METHOD_CODES = list(M.keys())

# A topic mentioned only in passing, and outside the person's codes.
NEG = {
    "custody_disputes": dict(fi=["Huoltoriidoista minulla ei ole erityisosaamista.",
                                 "Huoltoriitatilanteissa ohjaan perheasioiden sovitteluun."],
                             sv=["Jag arbetar inte med vårdnadstvister."],
                             en=["I have no special expertise in custody disputes."]),
    "eating_disorders": dict(fi=["Syömishäiriöasioissa ohjaan eteenpäin erikoissairaanhoitoon."],
                             sv=["Vid ätstörningar hänvisar jag vidare till specialistvården."],
                             en=["Eating disorder cases I refer on to specialist services."]),
    "radicalisation": dict(fi=["Radikalisoitumiseen liittyvissä kysymyksissä en ole oikea henkilö."],
                           sv=["Frågor om radikalisering hänvisar jag till andra."],
                           en=["I am not the right person for radicalisation questions."]),
    "honour_violence": dict(fi=["En ole perehtynyt kunniaväkivaltaan."],
                            sv=["Hedersrelaterat våld är inte mitt område."],
                            en=["Honour-related violence is outside my field."]),
    "substance_abuse": dict(fi=["Päihdeasiat hoitaa meillä erillinen tiimi."],
                            sv=["Missbruksfrågor sköts av ett annat team hos oss."],
                            en=["Substance use questions go to another team."]),
    "stalking": dict(fi=["Vainotapauksia en ota vastaan."], sv=["Jag tar inte emot ärenden om förföljelse."],
                     en=["I do not take stalking cases."]),
    "self_harm": dict(fi=["Akuutisti itsetuhoiset nuoret ohjaan päivystykseen."],
                      sv=["Akut självmordsbenägna unga hänvisar jag till jouren."],
                      en=["Acutely suicidal young people I refer to the emergency clinic."]),
    "child_sexual_abuse": dict(fi=["Seksuaalirikosepäilyjen tutkimuksia en itse tee."],
                               sv=["Utredningar av sexualbrott gör jag inte själv."],
                               en=["I do not do sexual abuse investigations myself."]),
    "neurodevelopmental": dict(fi=["ADHD-diagnostiikkaa en tee."], sv=["Jag gör inte ADHD-utredningar."],
                               en=["I do not diagnose ADHD."]),
    "parental_alienation": dict(fi=["Vieraannuttamisarvioita en tee."], sv=["Bedömningar av föräldraalienation gör jag inte."],
                                en=["I do not assess parental alienation."]),
    "school_absence": dict(fi=["Koulupoissaoloihin liittyvät kysymykset ohjaan oppilashuoltoon."],
                           sv=["Frågor om skolfrånvaro hänvisar jag till elevvården."],
                           en=["School attendance questions I pass on to pupil welfare."]),
}
NEG_CODES = list(NEG.keys())

# --------------------------------------------------------------------------
# People.
# --------------------------------------------------------------------------
FI_F = ["Aino", "Eveliina", "Johanna", "Katja", "Leena", "Marjo", "Minna", "Outi", "Päivi", "Pirjo", "Satu", "Suvi",
        "Terhi", "Ulla", "Veera", "Hanna-Mari", "Kirsi", "Merja", "Tuija", "Jenni", "Niina", "Saara", "Iida",
        "Emmi", "Milla", "Reetta", "Sirpa", "Maarit", "Anu", "Eija", "Henna", "Annukka"]
FI_M = ["Aleksi", "Eero", "Harri", "Ilkka", "Janne", "Jari", "Kimmo", "Lauri", "Markku", "Niko", "Olli", "Pekka",
        "Risto", "Teemu", "Tuomas", "Vesa", "Joonas", "Matti", "Heikki", "Timo", "Arto", "Jyrki", "Esa", "Samuli",
        "Toni"]
FI_FAM = ["Aaltonen", "Eskola", "Halonen", "Hakala", "Huttunen", "Ikonen", "Jokinen", "Kallio", "Kinnunen",
          "Kiiskinen", "Lampinen", "Lehto", "Leinonen", "Manninen", "Miettinen", "Nurmi", "Ojala", "Peltonen",
          "Pitkänen", "Rautio", "Räsänen", "Seppälä", "Suominen", "Tikkanen", "Toivonen", "Vainio", "Väisänen",
          "Ylönen", "Hiltunen", "Pelkonen", "Keränen", "Mustonen", "Partanen", "Savolainen", "Tolvanen",
          "Ruotsalainen", "Kemppainen", "Heikkilä", "Rönkkö", "Hyvönen", "Oksanen", "Kivelä", "Niskanen", "Sirviö",
          "Väänänen", "Lappalainen", "Tuominen", "Mattila", "Koivisto", "Aho"]
SV_F = ["Ebba", "Frida", "Ida", "Linnea", "Matilda", "Stina", "Ulrika", "Camilla", "Jessica", "Malin", "Pia",
        "Annika", "Sara", "Emilia", "Cecilia", "Louise", "Mikaela", "Jenny"]
SV_M = ["Fredrik", "Henrik", "Johan", "Mats", "Mikael", "Niklas", "Patrik", "Tobias", "Jonas", "Anders", "Björn",
        "Kristian", "Magnus", "Rasmus", "Viktor", "Sebastian"]
SV_FAM = ["Back", "Björkqvist", "Ek", "Forsman", "Granholm", "Holmström", "Hägglund", "Kronqvist", "Lindholm",
          "Nyberg", "Sjöberg", "Söderström", "Westerlund", "Wikström", "Öhman", "Strandberg", "Enlund", "Sundqvist",
          "Sandvik", "Häggblom", "Nyman", "Stenroos", "Blomqvist", "Grönroos", "Mattsson", "Snellman"]
# (given, family, gender, mother tongue)
IMMIGRANT = [
    ("Amina", "Hassan", "f", "so"), ("Abdirahman", "Warsame", "m", "so"), ("Hodan", "Abdi", "f", "so"),
    ("Ahmed", "Nur", "m", "so"), ("Fadumo", "Ali", "f", "so"), ("Mohamed", "Yusuf", "m", "so"),
    ("Fatima", "Al-Hashimi", "f", "ar"), ("Samira", "Benali", "f", "ar"), ("Omar", "Haddad", "m", "ar"),
    ("Layla", "Mansour", "f", "ar"), ("Yousef", "Khalil", "m", "ar"), ("Noor", "Al-Obaidi", "f", "ar"),
    ("Ali", "Mohammadi", "m", "fa"), ("Zahra", "Ahmadi", "f", "fa"), ("Leyla", "Karimi", "f", "fa"),
    ("Ardalan", "Rahimi", "m", "fa"), ("Mina", "Hosseini", "f", "fa"), ("Farid", "Sultani", "m", "fa"),
    ("Rojda", "Kaya", "f", "ku"), ("Shirin", "Rashid", "f", "ku"), ("Karwan", "Aziz", "m", "ku"),
    ("Olga", "Ivanova", "f", "ru"), ("Tatjana", "Smirnova", "f", "ru"), ("Dmitri", "Sokolov", "m", "ru"),
    ("Irina", "Volkova", "f", "ru"), ("Natalia", "Kovalenko", "f", "uk"), ("Oksana", "Shevchuk", "f", "uk"),
    ("Andrii", "Bondarenko", "m", "uk"), ("Kristiina", "Tamm", "f", "et"), ("Mart", "Saar", "m", "et"),
    ("Liis", "Kask", "f", "et"), ("Mehmet", "Yilmaz", "m", "tr"), ("Elif", "Demir", "f", "tr"),
    ("Lan", "Nguyen", "f", "vi"), ("Minh", "Tran", "m", "vi"), ("Selam", "Tesfaye", "f", "ti"),
    ("Yonas", "Berhane", "m", "ti"), ("Arta", "Krasniqi", "f", "sq"), ("Blerim", "Gashi", "m", "sq"),
]
SAMI = [("Máret", "Aikio", "f"), ("Ánde", "Magga", "m"), ("Inga", "Valkeapää", "f"), ("Niillas", "Länsman", "m")]

# Titles by sector (sector 'other' takes its title with its organisation).
TITLES = {
    "social": dict(fi=["johtava sosiaalityöntekijä", "vastaava sosiaalityöntekijä", "perhetyöntekijä",
                       "sosiaaliohjaaja", "perheterapeutti (VET)", "lastensuojelun erityisasiantuntija",
                       "palveluesihenkilö", "sosiaalityön asiantuntija"],
                   sv=["socialarbetare", "ledande socialarbetare", "familjearbetare", "socialhandledare",
                       "familjeterapeut"],
                   en=["senior social worker", "family support worker", "social work specialist"]),
    "health": dict(fi=["apulaisylilääkäri", "psykiatrinen sairaanhoitaja", "psykoterapeutti", "erikoispsykologi",
                       "osastonylilääkäri", "sairaalan sosiaalityöntekijä", "psykologi, psykoterapeutti (VET)"],
                   sv=["överläkare", "psykiatrisk sjukskötare", "psykolog", "specialpsykolog"],
                   en=["consultant psychiatrist", "clinical psychologist", "psychiatric nurse"]),
    "education": dict(fi=["erityisopettaja", "kuraattori", "koulupsykologi", "rehtori", "sairaalaopettaja",
                          "erityisluokanopettaja"],
                      sv=["speciallärare", "skolkurator", "skolpsykolog", "rektor"],
                      en=["special education teacher", "school psychologist", "school counsellor"]),
    "ngo": dict(fi=["järjestötyöntekijä", "projektikoordinaattori", "kriisityöntekijä", "erityisasiantuntija",
                    "ohjaaja", "toiminnanjohtaja"],
                sv=["projektkoordinator", "sakkunnig", "verksamhetsledare", "handledare"],
                en=["project coordinator", "specialist", "programme manager"]),
    "police": dict(fi=["rikosylikonstaapeli", "vanhempi konstaapeli", "ylikonstaapeli", "rikostarkastaja",
                       "ennalta estävän toiminnan poliisi"],
                   sv=["kriminalöverkonstapel", "äldre konstapel"],
                   en=["detective sergeant", "police officer"]),
    "prosecution": dict(fi=["kihlakunnansyyttäjä", "johtava kihlakunnansyyttäjä", "erikoissyyttäjä"],
                        sv=["häradsåklagare", "specialåklagare"], en=["district prosecutor", "specialised prosecutor"]),
    "research": dict(fi=["yliopistonlehtori", "erikoistutkija", "väitöskirjatutkija", "professori",
                         "tutkimuspäällikkö", "yliopettaja"],
                     sv=["universitetslektor", "forskare", "doktorand", "professor"],
                     en=["senior researcher", "postdoctoral researcher", "professor", "lecturer"]),
    "experience_expert": dict(fi=["kokemusasiantuntija ja vertaisohjaaja", "kokemuskouluttaja",
                                  "vertaistoiminnan ohjaaja"],
                              sv=["erfarenhetsexpert", "kamratstödjare"],
                              en=["expert by experience", "peer support worker"]),
}
# Titles that fit a main topic better than the sector default.
TOPIC_TITLES = {
    ("health", "child_psychiatry"): (["lastenpsykiatrian erikoislääkäri", "lastenpsykiatri"], ["barnpsykiater"],
                                     ["child psychiatrist"]),
    ("health", "adolescent_psychiatry"): (["nuorisopsykiatrian erikoislääkäri", "nuorisopsykiatri"],
                                          ["ungdomspsykiater"], ["adolescent psychiatrist"]),
    ("health", "neurodevelopmental"): (["neuropsykologi", "lastenneurologi"], ["neuropsykolog"], ["neuropsychologist"]),
    ("health", "eating_disorders"): (["syömishäiriöhoitaja", "nuorisopsykiatrian erikoislääkäri", "ravitsemusterapeutti"],
                                     ["ätstörningsskötare"], ["eating disorder nurse"]),
    ("social", "family_foster_care"): (["perhehoidon sosiaalityöntekijä", "perhehoidon koordinaattori"],
                                       ["familjevårdskoordinator"], ["foster care coordinator"]),
    ("social", "institutional_care"): (["nuorisokodin johtaja", "vastaava ohjaaja", "ohjaaja"],
                                       ["föreståndare"], ["residential unit manager"]),
    ("social", "supervision"): (["valvontasosiaalityöntekijä", "sijaishuollon valvonnan asiantuntija"],
                                ["tillsynsinspektör"], ["placement oversight officer"]),
    ("social", "custody_disputes"): (["perheoikeudellinen sosiaalityöntekijä", "lastenvalvoja"],
                                     ["familjerättslig socialarbetare", "barnatillsyningsman"], ["family law social worker"]),
    ("education", "school_absence"): (["kuraattori", "koulupsykologi"], ["skolkurator"], ["school counsellor"]),
}

EDUCATION = {
    "social": dict(fi=["YTM", "sosionomi (AMK)", "YTM, perheterapeutti (VET)"], sv=["PeM", "socionom (YH)"],
                   en=["MSocSc", "BSocSc"]),
    "health": dict(fi=["LL, erikoislääkäri", "PsM", "TtM", "sairaanhoitaja (AMK), psykoterapeutti"],
                   sv=["ML", "PsM", "sjukskötare (YH)"], en=["MD", "MA in psychology", "RN"]),
    "education": dict(fi=["KM", "KM, erityisopettaja", "PsM"], sv=["PeM", "PM"], en=["MEd", "MA"]),
    "ngo": dict(fi=["YTM", "sosionomi (AMK)", "yhteisöpedagogi (AMK)"], sv=["socionom (YH)", "PeM"],
                en=["MSocSc", "BA"]),
    "police": dict(fi=["poliisi (AMK)", "poliisi (AMK), rikostutkinnan erikoistumisopinnot"], sv=["polis (YH)"],
                   en=["BA in policing"]),
    "prosecution": dict(fi=["OTM, VT", "OTM"], sv=["JM", "VH"], en=["LLM"]),
    "research": dict(fi=["YTT", "FT", "KT", "PsT"], sv=["PD", "PeD"], en=["PhD", "DSocSc"]),
    "experience_expert": dict(fi=["kokemusasiantuntijakoulutus"], sv=["utbildning för erfarenhetsexperter"],
                              en=["expert-by-experience training"]),
    "other": dict(fi=["OTM", "YTM", "psykoterapeutti (VET)"], sv=["JM", "PeM"], en=["LLM", "MA"]),
}

CLOSE = dict(
    fi=["Voin osallistua verkostopalaveriin myös paikan päällä.", "Kirjoitan tarvittaessa lausunnon.",
        "Tavoitat minut parhaiten sähköpostilla.", "Olen tavoitettavissa tiistaisin ja torstaisin.",
        "Konsultaatioaikoja on yleensä parin viikon sisällä.", "Vapaa-ajalla hiihdän ja leivon.",
        "Teen mielelläni yhteistyötä yli aluerajojen."],
    fi_remote=["Konsultoin myös etäyhteydellä.", "Etäpalaverit Teamsilla sopivat hyvin."],
    sv=["Jag kan delta i nätverksmöten.", "Bäst når du mig per e-post.", "Jag skriver utlåtanden vid behov.",
        "Jag samarbetar gärna över regiongränserna."],
    sv_remote=["Jag deltar gärna på distans.", "Distansmöten går bra."],
    en=["Happy to join network meetings.", "Best reached by email.", "I can write statements when needed.",
        "I enjoy working across regional borders."],
    en_remote=["Remote consultations are fine.", "I often join meetings online."],
)

LANG_NAME = dict(fi={"fi": "suomi", "sv": "ruotsi", "en": "englanti", "so": "somali", "ar": "arabia",
                     "fa": "persia", "ku": "kurdi", "ru": "venäjä", "uk": "ukraina", "et": "viro", "tr": "turkki",
                     "vi": "vietnam", "ti": "tigrinja", "sq": "albania", "se": "pohjoissaame", "de": "saksa"},
                 sv={"fi": "finska", "sv": "svenska", "en": "engelska", "de": "tyska", "se": "nordsamiska"},
                 en={"fi": "Finnish", "sv": "Swedish", "en": "English", "so": "Somali", "ar": "Arabic",
                     "fa": "Persian", "ku": "Kurdish", "ru": "Russian", "uk": "Ukrainian", "et": "Estonian",
                     "tr": "Turkish", "vi": "Vietnamese", "ti": "Tigrinya", "sq": "Albanian", "se": "Northern Sami",
                     "de": "German"})

# --------------------------------------------------------------------------
# Organisations.
# --------------------------------------------------------------------------
SOCIAL_UNIT = {
    "child_welfare": ("lastensuojelun avohuolto", "barnskyddets öppenvård"),
    "foster_care": ("sijaishuollon sosiaalityö", "vård utom hemmet"),
    "family_foster_care": ("perhehoitoyksikkö", "familjevårdsenheten"),
    "family_work": ("perhekuntoutuskeskus", "familjerehabiliteringen"),
    "supervision": ("sijaishuollon valvonta", "tillsyn av vård utom hemmet"),
    "shared_clients": ("vaativan hoidon yhdistelmäyksikkö", "kombinationsenheten"),
    "disability": ("vammaispalvelut", "funktionshinderservice"),
    "immigrants": ("maahanmuuttajapalvelut", "invandrarservice"),
    "custody_disputes": ("perheoikeudelliset palvelut", "familjerättsliga tjänster"),
    "parental_alienation": ("perheoikeudelliset palvelut", "familjerättsliga tjänster"),
    "domestic_violence": ("väkivaltatyön yksikkö", "enheten för arbete mot våld"),
    "stalking": ("väkivaltatyön yksikkö", "enheten för arbete mot våld"),
    "substance_abuse": ("nuorten päihdepalvelut", "missbruksvård för unga"),
    "criminal_sanctions": ("Ankkuri-tiimi", "Ankkuri-teamet"),
    "radicalisation": ("Ankkuri-tiimi", "Ankkuri-teamet"),
    "school_absence": ("opiskeluhuollon kuraattoripalvelut", "kuratorstjänster"),
}
SOCIAL_DEFAULT = ("perheneuvola", "familjerådgivningen")
YOUTH_HOMES = ["Koivula", "Kallioranta", "Myllytupa", "Vaahtera", "Pihlajamäki", "Kuusikko", "Satama", "Tähtelä"]
YOUTH_HOMES_SV = ["Björkbacka", "Solgläntan", "Havsudden"]
HEALTH_UNIT = {
    "child_psychiatry": ("lastenpsykiatria", "barnpsykiatrin"),
    "adolescent_psychiatry": ("nuorisopsykiatria", "ungdomspsykiatrin"),
    "eating_disorders": ("nuorten syömishäiriöyksikkö", "enheten för ätstörningar"),
    "self_harm": ("nuorisopsykiatrian päivystys", "ungdomspsykiatriska jouren"),
    "neurodevelopmental": ("lastenneurologia", "barnneurologin"),
    "specialist_care": ("lasten ja nuorten klinikka", "barn- och ungdomskliniken"),
    "trauma": ("lastenpsykiatrian traumapoliklinikka", "barnpsykiatrin"),
    "shared_clients": ("nuorisopsykiatrian jalkautuva tiimi", "ungdomspsykiatrins mobila team"),
    "child_sexual_abuse": ("lasten ja nuorten oikeuspsykiatria", "rättspsykiatri för barn och unga"),
    "disability": ("kehitysvammapoliklinikka", "barnneurologin"),
    "domestic_violence": ("lastenpsykiatria", "barnpsykiatrin"),
}
HEALTH_DEFAULT = ("lasten ja nuorten psykiatria", "barn- och ungdomspsykiatrin")
POLICE_UNIT = {
    "child_sexual_abuse": ("lapsiin kohdistuvien rikosten tutkinta", "utredning av brott mot barn"),
    "domestic_violence": ("lähisuhdeväkivallan tutkinta", "utredning av våld i nära relationer"),
    "radicalisation": ("ennalta estävä toiminta", "förebyggande verksamhet"),
    "honour_violence": ("ennalta estävä toiminta", "förebyggande verksamhet"),
    "stalking": ("rikostutkinta", "brottsutredning"),
    "substance_abuse": ("huumausainerikosten tutkinta", "narkotikabrott"),
    "criminal_sanctions": ("nuorisorikosten tutkinta", "ungdomsbrott"),
}
NGO = {
    "honour_violence": ["Monika-Naiset liitto ry", "Ensi- ja turvakotien liitto, kunniaväkivaltatyö"],
    "radicalisation": ["Aseman Lapset ry, Exit-työ", "Suomen Punainen Risti, nuorisotyö"],
    "domestic_violence": ["Ensi- ja turvakotien liitto", "Lyömätön Linja Espoossa ry", "Miessakit ry"],
    "immigrants": ["Suomen Punainen Risti", "Familia ry", "Pakolaisneuvonta ry"],
    "family_foster_care": ["Perhehoitoliitto ry", "Pesäpuu ry", "SOS-Lapsikylä ry"],
    "stalking": ["Rikosuhripäivystys RIKU", "Ensi- ja turvakotien liitto"],
    "substance_abuse": ["Sininauhaliitto", "EHYT ry", "Nuorten Ystävät ry"],
    "custody_disputes": ["Väestöliitto, eroauttaminen", "Miessakit ry"],
    "parental_alienation": ["Väestöliitto, eroauttaminen"],
    "trauma": ["Pelastakaa Lapset ry", "MIELI Suomen Mielenterveys ry"],
    "self_harm": ["MIELI Suomen Mielenterveys ry"],
    "eating_disorders": ["Syömishäiriöliitto – SYLI ry"],
    "neurodevelopmental": ["ADHD-liitto ry", "Autismiliitto ry"],
    "disability": ["Kehitysvammaliitto ry", "Kehitysvammaisten Tukiliitto ry"],
    "school_absence": ["Nuorten Ystävät ry", "Mannerheimin Lastensuojeluliitto"],
    "child_welfare": ["Lastensuojelun Keskusliitto", "Pelastakaa Lapset ry"],
    "foster_care": ["SOS-Lapsikylä ry", "Pesäpuu ry"],
    "institutional_care": ["SOS-Lapsikylä ry"],
    "family_work": ["Mannerheimin Lastensuojeluliitto", "Ensi- ja turvakotien liitto"],
}
NGO_DEFAULT = ["Mannerheimin Lastensuojeluliitto", "Pelastakaa Lapset ry"]
NGO_SV = {"neurodevelopmental": "Folkhälsan, neuropsykiatriska tjänster", "disability": "FDUV",
          "child_welfare": "Barnavårdsföreningen i Finland", "family_work": "Barnavårdsföreningen i Finland",
          "eating_disorders": "Folkhälsan, ätstörningsteamet", "self_harm": "Folkhälsan, ungdomsmottagningen",
          "custody_disputes": "Folkhälsan, familjerådgivning"}
NGO_SV_DEFAULT = "Folkhälsan"
EXPERIENCE_ORGS = {
    "foster_care": ["Pesäpuu ry, kokemusasiantuntijatoiminta", "SOS-Lapsikylä ry, nuorten vaikuttajaryhmä"],
    "institutional_care": ["Pesäpuu ry, kokemusasiantuntijatoiminta", "SOS-Lapsikylä ry, nuorten vaikuttajaryhmä"],
    "family_foster_care": ["Perhehoitoliitto ry, kokemusasiantuntijat", "Pesäpuu ry, kokemusasiantuntijatoiminta"],
    "child_welfare": ["Pesäpuu ry, kokemusasiantuntijatoiminta"],
    "substance_abuse": ["Sininauhaliitto, kokemusasiantuntijat", "EHYT ry, kokemustoiminta"],
    "eating_disorders": ["Syömishäiriöliitto – SYLI ry"],
    "self_harm": ["MIELI Suomen Mielenterveys ry, kokemusasiantuntijat"],
    "adolescent_psychiatry": ["MIELI Suomen Mielenterveys ry, kokemusasiantuntijat"],
    "neurodevelopmental": ["ADHD-liitto ry, kokemusasiantuntijat"],
}


def weighted(rng, weights):
    """Pick a key of an (insertion-ordered) dict by weight."""
    keys = list(weights.keys())
    total = sum(weights[k] for k in keys)
    x = rng.random() * total
    for k in keys:
        x -= weights[k]
        if x < 0:
            return k
    return keys[-1]


def org_for(rng, sector, county, topic, lang):
    c = COUNTY[county]
    county_fi, county_sv = c[1], c[2]
    hosp_fi, hosp_sv = c[5]
    police, pros = c[6], c[7]
    town = rng.choice(c[9])
    sv = lang == "sv"
    if sector == "social":
        if topic == "institutional_care":
            if sv and rng.random() < 0.7:
                return f"Ungdomshemmet {rng.choice(YOUTH_HOMES_SV)}"
            return f"Nuorisokoti {rng.choice(YOUTH_HOMES)}" + (" Oy" if rng.random() < 0.5 else "")
        unit = SOCIAL_UNIT.get(topic, SOCIAL_DEFAULT)
        return f"{county_sv}, {unit[1]}" if sv else f"{county_fi}, {unit[0]}"
    if sector == "health":
        if topic == "substance_abuse":
            return f"{town[2]}s ungdomsstation" if sv else f"{county_fi}, nuorisoasema"
        unit = HEALTH_UNIT.get(topic, HEALTH_DEFAULT)
        if sv and hosp_sv:
            return f"{hosp_sv}, {unit[1]}"
        return f"{hosp_fi}, {unit[0]}"
    if sector == "education":
        if topic == "education_support" and rng.random() < 0.4:
            return f"{town[1]} sairaalakoulu"
        if sv:
            return f"{town[2]} stad, grundläggande utbildning"
        return f"{town[1]} kaupunki, perusopetus"
    if sector == "ngo":
        if sv:
            return NGO_SV.get(topic, NGO_SV_DEFAULT)
        return rng.choice(NGO.get(topic, NGO_DEFAULT))
    if sector == "police":
        unit = POLICE_UNIT.get(topic, ("rikostutkinta", "brottsutredning"))
        return f"{police}, {unit[0]}"
    if sector == "prosecution":
        return f"Syyttäjälaitos, {pros}"
    if sector == "research":
        return rng.choice(UNIVERSITIES[county])
    if sector == "experience_expert":
        if topic in EXPERIENCE_ORGS and rng.random() < 0.75:
            return rng.choice(EXPERIENCE_ORGS[topic])
        return f"{county_sv}, delaktighetstjänster" if sv else f"{county_fi}, osallisuuspalvelut"
    raise ValueError(f"sector {sector!r}: 'other' takes its organisation from other_org_title")


def other_org_title(rng, county, topic, lang):
    """Organisation and title for sector 'other', chosen together so they fit."""
    c = COUNTY[county]
    town = rng.choice(c[9])
    k = {"fi": 0, "sv": 1, "en": 2}[lang]
    if topic == "criminal_sanctions":
        return (f"Rikosseuraamuslaitos, {c[8]} rikosseuraamusalue",
                rng.choice([("rikosseuraamusesihenkilö", "brottspåföljdshandledare", "probation officer"),
                            ("erityisohjaaja", "specialhandledare", "probation officer")])[k])
    if topic in ("custody_disputes", "parental_alienation", "family_work"):
        kind = rng.choice(["church", "law", "mediation"])
        if kind == "church":
            return (f"{town[1]} seurakuntayhtymä, perheasiain neuvottelukeskus",
                    ("perheneuvoja", "familjerådgivare", "family counsellor")[k])
        if kind == "law":
            return (f"Asianajotoimisto {rng.choice(FI_FAM)} Oy", ("asianajaja", "advokat", "lawyer")[k])
        return (f"{c[1]}, perheasioiden sovittelu", ("perheasioiden sovittelija", "familjemedlare", "family mediator")[k])
    return (rng.choice([f"Psykoterapiakeskus {rng.choice(['Aalto', 'Silta', 'Lähde', 'Kaari'])} Oy",
                        f"Yksityinen vastaanotto, {town[0]}"]),
            ("psykoterapeutti", "psykoterapeut", "psychotherapist")[k])


def ascii_slug(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def email_domain(org):
    head = org.split(",")[0]
    words = ascii_slug(head).split("-")
    return "-".join(words[:3]) + ".example"


def lc_first(s):
    """Lower-case the first letter of a sentence unless it starts an acronym."""
    if len(s) > 1 and s[1].islower():
        return s[0].lower() + s[1:]
    return s


def method_name(code, key):
    """A method's name in a list or inside another language's sentence: no English article."""
    name = M[code][key]
    return name[4:] if name.startswith("the ") else name


def uc_first(s):
    return s[:1].upper() + s[1:]


def join_list(items, lang):
    word = {"fi": "ja", "sv": "och", "en": "and"}[lang]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


# --------------------------------------------------------------------------
# Bio writers. p is the profile dict; each writer returns a string.
# --------------------------------------------------------------------------
def education(rng, p, lang):
    """A degree that fits the title where the title tells (doctors, psychologists)."""
    t = p["title"].lower()
    if re.search(r"lääkäri|psykiatri|psychiatrist|läkare|psykiater|neurologi", t):
        return {"fi": "LL, erikoislääkäri", "sv": "ML, specialistläkare", "en": "MD"}[lang]
    if re.search(r"psykolog|psychologist", t):
        return {"fi": "PsM", "sv": "PsM", "en": "MA in psychology"}[lang]
    if re.search(r"sairaanhoitaja|sjukskötare|nurse|hoitaja", t):
        return {"fi": "sairaanhoitaja (AMK)", "sv": "sjukskötare (YH)", "en": "RN"}[lang]
    return rng.choice(EDUCATION[p["sector"]][lang])


def own_story(rng, p, lang):
    """An expert by experience's own background, or a researcher's field."""
    main = p["topics"][0]
    k = {"fi": 0, "sv": 1, "en": 2}[lang]
    if p["sector"] == "experience_expert" and main in EXP:
        return [EXP[main][k]]
    if p["sector"] == "research":
        field = rng.choice(T[main][{"fi": "fi_n", "sv": "sv_n", "en": "en_n"}[lang]])
        return [{"fi": f"Tutkimusalani: {field}.", "sv": f"Min forskning handlar om {field}.",
                 "en": f"My research is on {field}."}[lang]]
    return []


def bio_fi(rng, p, style, english_terms=False):
    main, others = p["topics"][0], p["mentioned"]
    methods = p["methods"]
    parts = []
    if style == "short":
        story = own_story(rng, p, "fi")
        parts.extend(story or [rng.choice(T[main]["fi_1"] + [uc_first(T[main]["fi_n"][0]) + "."])])
        if methods:
            parts.append("Menetelmä: " + method_name(methods[0], "en" if english_terms else "fi_n") + ".")
        return " ".join(parts)
    if style == "cv":
        areas = rng.sample(T[main]["fi_n"], 2) + [rng.choice(T[o]["fi_n"]) for o in others]
        parts.append("Osaaminen: " + "; ".join(areas) + ".")
        if methods:
            key = "en" if english_terms else "fi_n"
            parts.append("Menetelmät: " + ", ".join(method_name(m, key) for m in methods) + ".")
        parts.append(f"Koulutus: {education(rng, p, 'fi')} ({rng.randint(1996, 2021)}).")
        parts.append("Kielet: " + ", ".join(LANG_NAME["fi"].get(l, l) for l in p["languages"]) + ".")
        if english_terms:
            parts.append("Keywords: " + rng.choice(T[main]["en_n"]) + ".")
        return " ".join(parts)
    if style == "3p":
        first = rng.choice(T[main]["fi_3"])
        intro = f"{p['given']} {p['family']} on {p['title']}, jonka työpaikka on {p['org']}."
        parts.append(intro)
        parts.append(first)
        rest = [s for s in T[main]["fi_1"]]
        if rng.random() < 0.5:
            parts.append("Hän kertoo työstään: ”" + rng.choice(rest) + "”")
        if others:
            parts.append("Muita osaamisalueita ovat " + join_list([rng.choice(T[o]["fi_n"]) for o in others], "fi") + ".")
        if methods:
            key = "en" if english_terms else "fi_n"
            parts.append("Menetelmäkoulutukset: " + ", ".join(method_name(m, key) for m in methods) + ".")
        parts.append("Hän " + rng.choice(["osallistuu mielellään verkostopalavereihin.",
                                          "kirjoittaa tarvittaessa lausuntoja.",
                                          "kouluttaa myös muita ammattilaisia.",
                                          "konsultoi myös etänä." if p["remote"] else "tapaa mieluiten kasvokkain."]))
        return " ".join(parts)
    # long first person
    intro = rng.choice([f"Olen {p['title']} ({p['org']}).", f"Olen ollut {p['title']} vuodesta {rng.randint(1998, 2020)}.",
                        f"Toimin nykyään nimikkeellä {p['title']}.", f"Työpaikka: {p['org']}."])
    parts.append(intro)
    parts.extend(own_story(rng, p, "fi"))
    mains = rng.sample(T[main]["fi_1"], 2 if rng.random() < 0.5 else 1)
    parts.extend(mains[:1] if p["sector"] in ("experience_expert", "research") else mains)
    if english_terms and rng.random() < 0.6:
        parts.append("(Englanniksi: " + rng.choice(T[main]["en_n"]) + ".)")
    frames = rng.sample(["Kokemusta on myös näistä: {}.", "Olen perehtynyt myös tähän: {}.",
                         "Toinen osaamisalueeni: {}."], 2)
    for i, o in enumerate(others):
        if rng.random() < 0.5:
            parts.append(("Lisäksi " if i == 0 else "Myös ") + lc_first(rng.choice(T[o]["fi_1"])))
        else:
            parts.append(frames[i].format(rng.choice(T[o]["fi_n"])))
    for m in methods:
        if english_terms:
            parts.append(f"Käytän työssäni {method_name(m, 'en')} -viitekehystä.")
        else:
            parts.append(rng.choice(M[m]["fi_1"]))
    if p["neg"]:
        parts.append(rng.choice(NEG[p["neg"]]["fi"]))
    parts.append(rng.choice(CLOSE["fi_remote"] if p["remote"] and rng.random() < 0.6 else CLOSE["fi"]))
    return " ".join(parts)


def bio_sv(rng, p, style, finnish_mix=False):
    main, others = p["topics"][0], p["mentioned"]
    methods = p["methods"]
    pron = "Hon" if p["gender"] == "f" else "Han"
    parts = []
    if style == "short":
        parts.extend(own_story(rng, p, "sv") or [rng.choice(T[main]["sv_1"])])
        if finnish_mix:
            parts.append(rng.choice(T[main]["fi_1"]))
        if methods:
            parts.append("Metod: " + M[methods[0]]["sv"] + ".")
        return " ".join(parts)
    if style == "cv":
        areas = T[main]["sv_n"] + [rng.choice(T[o]["sv_n"]) for o in others]
        parts.append("Kompetensområden: " + "; ".join(areas) + ".")
        if methods:
            parts.append("Metoder: " + ", ".join(M[m]["sv"] for m in methods) + ".")
        parts.append(f"Utbildning: {education(rng, p, 'sv')} ({rng.randint(1996, 2021)}).")
        parts.append("Språk: " + ", ".join(LANG_NAME["sv"].get(l, l) for l in p["languages"]) + ".")
        if finnish_mix:
            parts.append("Suomeksi: " + rng.choice(T[main]["fi_n"]) + ".")
        return " ".join(parts)
    if style == "3p":
        parts.append(f"{p['given']} {p['family']} arbetar som {p['title']} vid {p['org']}.")
        parts.append(f"{pron} är specialiserad på {rng.choice(T[main]['sv_n'])}.")
        if others:
            parts.append(f"{pron} har också erfarenhet av " + join_list([rng.choice(T[o]['sv_n']) for o in others], "sv") + ".")
        if methods:
            parts.append(f"{pron} är utbildad i " + join_list([M[m]['sv'] for m in methods], "sv") + ".")
        if finnish_mix:
            parts.append("Työkieli myös suomi: " + lc_first(rng.choice(T[main]["fi_1"])))
        return " ".join(parts)
    # long first person
    parts.append(rng.choice([f"Jag är {p['title']} vid {p['org']}.", f"Jag har arbetat som {p['title']} sedan {rng.randint(1998, 2020)}."]))
    parts.extend(own_story(rng, p, "sv"))
    parts.extend(rng.sample(T[main]["sv_1"], 2 if rng.random() < 0.5 else 1))
    for o in others:
        if finnish_mix and rng.random() < 0.7:
            # a Finnish sentence in the middle of a Swedish bio
            parts.append(rng.choice(T[o]["fi_1"]))
        elif rng.random() < 0.5:
            parts.append(rng.choice(T[o]["sv_1"]))
        else:
            parts.append(rng.choice(["Jag har också erfarenhet av {}.", "Ett annat område: {}."]).format(
                rng.choice(T[o]["sv_n"])))
    if finnish_mix and not others:
        parts.append("Teen töitä myös suomeksi. " + rng.choice(T[main]["fi_1"]))
    for m in methods:
        parts.append(rng.choice([f"Jag använder {M[m]['sv']}.", f"Utbildad i {M[m]['sv']}."]))
    if p["neg"]:
        parts.append(rng.choice(NEG[p["neg"]]["fi" if finnish_mix and rng.random() < 0.5 else "sv"]))
    parts.append(rng.choice(CLOSE["sv_remote"] if p["remote"] and rng.random() < 0.6 else CLOSE["sv"]))
    if finnish_mix and rng.random() < 0.5:
        parts.append(rng.choice(CLOSE["fi"]))
    return " ".join(parts)


def bio_en(rng, p, style, finnish_terms=False):
    main, others = p["topics"][0], p["mentioned"]
    methods = p["methods"]
    pron = "She" if p["gender"] == "f" else "He"
    parts = []
    if style == "short":
        parts.extend(own_story(rng, p, "en") or [rng.choice(T[main]["en_1"])])
        if methods:
            parts.append("Trained in " + M[methods[0]]["en"] + ".")
        if finnish_terms:
            parts.append("Suomeksi: " + rng.choice(T[main]["fi_n"]) + ".")
        return " ".join(parts)
    if style == "cv":
        areas = T[main]["en_n"] + [rng.choice(T[o]["en_n"]) for o in others]
        parts.append("Expertise: " + "; ".join(areas) + ".")
        if methods:
            parts.append("Methods: " + ", ".join(method_name(m, "en") for m in methods) + ".")
        parts.append(f"Background: {education(rng, p, 'en')} ({rng.randint(1996, 2021)}).")
        parts.append("Languages: " + ", ".join(LANG_NAME["en"].get(l, l) for l in p["languages"]) + ".")
        return " ".join(parts)
    if style == "3p":
        parts.append(f"{p['given']} {p['family']} is a {p['title']} at {p['org']}.")
        parts.append(f"{pron} specialises in {rng.choice(T[main]['en_n'])}.")
        possessive = "her" if p["gender"] == "f" else "his"
        parts.append(f"In {possessive} own words: “{rng.choice(T[main]['en_1'])}”")
        if others:
            parts.append(f"{pron} also has experience with " + join_list([rng.choice(T[o]['en_n']) for o in others], "en") + ".")
        if methods:
            parts.append(f"{pron} is trained in " + join_list([M[m]['en'] for m in methods], "en") + ".")
        return " ".join(parts)
    parts.append(rng.choice([f"I'm a {p['title']} at {p['org']}.", f"I have worked as a {p['title']} since {rng.randint(1998, 2020)}."]))
    parts.extend(own_story(rng, p, "en"))
    parts.extend(rng.sample(T[main]["en_1"], 2 if rng.random() < 0.5 else 1))
    if finnish_terms:
        parts.append("(In Finnish: " + rng.choice(T[main]["fi_n"]) + ".)")
    frames = rng.sample(["I also have experience with {}.", "Another focus of mine: {}.", "I also work on {}."], 2)
    for i, o in enumerate(others):
        if rng.random() < 0.5:
            parts.append(rng.choice(T[o]["en_1"]))
        else:
            parts.append(frames[i].format(rng.choice(T[o]["en_n"])))
    for m in methods:
        parts.append(rng.choice([f"I use {M[m]['en']}.", f"Trained in {M[m]['en']}."]))
    if p["neg"]:
        parts.append(rng.choice(NEG[p["neg"]]["en"]))
    if finnish_terms and rng.random() < 0.5:
        parts.append(rng.choice(T[main]["fi_1"]))
    parts.append(rng.choice(CLOSE["en_remote"] if p["remote"] and rng.random() < 0.6 else CLOSE["en"]))
    return " ".join(parts)


def pick_title(rng, sector, main, lang):
    k = {"fi": 0, "sv": 1, "en": 2}[lang]
    special = TOPIC_TITLES.get((sector, main))
    if special and rng.random() < 0.7:
        return rng.choice(special[k])
    return rng.choice(TITLES[sector][lang])


def make_profiles():
    rng = random.Random(SEED)
    county_weights = {c[0]: c[4] for c in COUNTIES}
    used_emails = {}
    profiles = []
    for i in range(1, N_PROFILES + 1):
        county = weighted(rng, county_weights)
        centre = COUNTY[county][3]
        r = rng.random()
        sv_share = SWEDISH_SHARE.get(county, 0.03)
        imm_share = IMMIGRANT_SHARE.get(county, 0.05)
        if r < sv_share:
            group = "sv"
        elif r < sv_share + imm_share:
            group = "imm"
        elif county == "lappi" and rng.random() < 0.3:
            group = "sami"
        else:
            group = "fi"
        # name and languages
        if group == "sv":
            gender = "f" if rng.random() < 0.7 else "m"
            given = rng.choice(SV_F if gender == "f" else SV_M)
            family = rng.choice(SV_FAM)
            languages = ["sv"] + (["fi"] if rng.random() < 0.9 else []) + (["en"] if rng.random() < 0.5 else [])
        elif group == "imm":
            given, family, gender, mother = rng.choice(IMMIGRANT)
            languages = [mother] + (["fi"] if rng.random() < 0.8 else []) + (["en"] if rng.random() < 0.7 else [])
            if mother == "so" and rng.random() < 0.3:
                languages.append("ar")
            if "fi" not in languages and "en" not in languages:
                languages.append("en")
        elif group == "sami":
            given, family, gender = rng.choice(SAMI)
            languages = ["se", "fi"] + (["en"] if rng.random() < 0.5 else [])
        else:
            gender = "f" if rng.random() < 0.72 else "m"
            given = rng.choice(FI_F if gender == "f" else FI_M)
            family = rng.choice(FI_FAM)
            languages = ["fi"] + (["sv"] if rng.random() < 0.18 else []) + (["en"] if rng.random() < 0.55 else [])
            if rng.random() < 0.03:
                languages.append("de")
        # topics
        w = dict(TOPIC_WEIGHT)
        boost = IMMIGRANT_BOOST if group == "imm" else SWEDISH_BOOST if group == "sv" else {}
        for k, b in boost.items():
            w[k] = w[k] * b
        main = weighted(rng, w)
        n_topics = weighted(rng, {1: 25, 2: 45, 3: 30})
        topics = [main]
        unrelated = False
        if n_topics >= 2:
            if rng.random() < 0.21:
                pool = [t for t in TOPIC_CODES if t != main and t not in RELATED[main]]
                unrelated = True
            else:
                pool = [t for t in RELATED[main]]
            topics.append(rng.choice(pool))
        if n_topics == 3:
            pool = [t for t in RELATED[main] + RELATED[topics[1]] if t not in topics]
            if pool:
                topics.append(rng.choice(pool))
        sector = weighted(rng, SECTORS[main])
        # methods
        cand = []
        for t in topics:
            for m in TOPIC_METHODS[t]:
                if m not in cand:
                    cand.append(m)
        if sector in ("police", "prosecution") and main in ("child_sexual_abuse", "domestic_violence"):
            methods = [m for m in ["barnahus", "lasta"] if rng.random() < 0.6]
        elif sector in ("police", "prosecution"):
            methods = []
        else:
            n_m = weighted(rng, {0: 35, 1: 45, 2: 20})
            if not cand:
                cand = list(METHOD_CODES) if rng.random() < 0.15 else []
            methods = rng.sample(cand, min(n_m, len(cand)))
        remote = rng.random() < 0.7
        accepts = rng.random() < 0.87
        # bio language and style
        if group == "sv":
            blang = weighted(rng, {"sv": 50, "svfi": 25, "fi": 15, "en": 10})
        elif group == "imm":
            blang = weighted(rng, {"fi": 45, "en": 35, "fien": 20})
        else:
            blang = weighted(rng, {"fi": 63, "fien": 15, "en": 12, "enfi": 5, "sv": 5 if "sv" in languages else 0})
        title_lang = {"sv": "sv", "svfi": "sv", "fi": "fi", "fien": "fi", "en": "en", "enfi": "en"}[blang]
        if sector == "other":
            org, title = other_org_title(rng, county, main, title_lang)
        else:
            title = pick_title(rng, sector, main, title_lang)
            org = org_for(rng, sector, county, main, "sv" if blang in ("sv", "svfi") else "fi")
        style = weighted(rng, {"long": 45, "3p": 20, "cv": 20, "short": 15})
        # which non-main topics the bio mentions; which topic it names in passing
        mentioned = [t for t in topics[1:]]
        if mentioned and rng.random() < 0.12:
            mentioned = mentioned[:-1]
        neg = None
        if style == "long" and rng.random() < 0.25:
            choices = [t for t in NEG_CODES if t not in topics]
            neg = rng.choice(choices)
        p = dict(i=i, given=given, family=family, gender=gender, county=county, centre=centre,
                 languages=languages, topics=topics, methods=methods, sector=sector, title=title, org=org,
                 remote=remote, accepts=accepts, mentioned=mentioned, neg=neg, unrelated=unrelated)
        if blang == "fi":
            bio = bio_fi(rng, p, style)
        elif blang == "fien":
            bio = bio_fi(rng, p, style, english_terms=True)
        elif blang == "sv":
            bio = bio_sv(rng, p, style)
        elif blang == "svfi":
            bio = bio_sv(rng, p, style, finnish_mix=True)
        elif blang == "en":
            bio = bio_en(rng, p, style)
        else:
            bio = bio_en(rng, p, style, finnish_terms=True)
        p["bio"] = bio
        p["bio_lang"], p["style"] = blang, style
        # contact
        local = ascii_slug(given).replace("-", "") + "." + ascii_slug(family)
        dom = email_domain(org)
        base = f"{local}@{dom}"
        n = used_emails.get(base, 0) + 1
        used_emails[base] = n
        p["email"] = base if n == 1 else f"{local}{n}@{dom}"
        p["phone"] = f"+358 {rng.choice(['40', '41', '44', '45', '46', '50'])} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        profiles.append(p)
    return profiles


HEADER = ["external_id", "given_name", "family_name", "title", "organization", "sector", "county", "centre",
          "languages", "topics", "methods", "remote", "accepts_consultations", "bio", "email", "phone"]


def render(profiles=None):
    """The whole experts.csv as a string."""
    import io
    profiles = profiles if profiles is not None else make_profiles()
    f = io.StringIO()
    w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEADER)
    for p in profiles:
        w.writerow([f"ho-{p['i']:04d}", p["given"], p["family"], p["title"], p["org"], p["sector"],
                    p["county"], p["centre"], ";".join(p["languages"]), ";".join(p["topics"]),
                    ";".join(p["methods"]), "true" if p["remote"] else "false",
                    "true" if p["accepts"] else "false", p["bio"], p["email"], p["phone"]])
    return f.getvalue()


def main():
    profiles = make_profiles()
    path = os.path.join(HERE, "experts.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(render(profiles))
    unrelated = sum(1 for p in profiles if p["unrelated"])
    negs = sum(1 for p in profiles if p["neg"])
    print(f"wrote {path}: {len(profiles)} profiles, {unrelated} with an unrelated second topic, "
          f"{negs} naming an uncoded topic in passing")


if __name__ == "__main__":
    main()
