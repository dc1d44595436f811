//! Demo data: fictional organisations, about sixty fictional experts across
//! sectors and counties, and one login per role. Every address is at
//! example.fi and every person is made up; the shared password is public.

use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_domain::{CentreCode, Role};

use crate::accounts::{self, NewUser};
use crate::experts::{self, NewProfile};
use crate::{Db, Result, on_db, on_tx, secrets};

/// The password of every demo login. Public by design: it is in the README.
pub const DEMO_PASSWORD: &str = "demo-salasana-2026";

/// The demo logins: e-mail, name, roles, centre.
pub const DEMO_USERS: &[(&str, &str, &[Role], Option<CentreCode>)] = &[
    ("pyytaja@example.fi", "Pia Pyytäjä", &[Role::Requester], None),
    ("asiantuntija@example.fi", "Aino Asiantuntija", &[Role::Expert], Some(CentreCode::Tampere)),
    ("koordinaattori@example.fi", "Kalle Koordinaattori", &[Role::Coordinator], Some(CentreCode::Tampere)),
    ("tutkija@example.fi", "Tuula Tutkija", &[Role::Researcher], None),
    ("kokemus@example.fi", "Kimmo Kokemusasiantuntija", &[Role::ExperienceExpert], Some(CentreCode::Tampere)),
    ("yllapito@example.fi", "Ylva Ylläpitäjä", &[Role::Admin], None),
];

const ORGANIZATIONS: &[(&str, &str, &str)] = &[
    ("Pirkanmaan hyvinvointialue, lastensuojelu (demo)", "social", "pirkanmaa"),
    ("HUS Nuorisopsykiatria (demo)", "health", "helsinki"),
    ("Varsinais-Suomen hyvinvointialue, perheneuvola (demo)", "social", "varsinais-suomi"),
    ("Oulun Barnahus-yksikkö (demo)", "health", "pohjois-pohjanmaa"),
    ("Kuopion koulupsykologit (demo)", "education", "pohjois-savo"),
    ("Sisä-Suomen poliisilaitos (demo)", "police", "pirkanmaa"),
    ("Lapsi ja perhe ry (demo)", "ngo", "keski-suomi"),
    ("Itä-Suomen yliopisto, sosiaalityö (demo)", "research", "pohjois-savo"),
    ("Pohjanmaan välfärdsområde, barnskydd (demo)", "social", "pohjanmaa"),
    ("Länsi-Suomen syyttäjäalue (demo)", "prosecution", "satakunta"),
];

const GIVEN: &[&str] = &[
    "Anna", "Mikko", "Sanna", "Juha", "Laura", "Ville", "Elina", "Antti", "Heidi", "Petri", "Johanna", "Tuomas",
    "Karin", "Erik", "Maria", "Oskar", "Noora", "Jussi", "Riikka", "Sami",
];
const FAMILY: &[&str] = &[
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lindqvist",
    "Åberg",
    "Salminen",
    "Turunen",
    "Salonen",
    "Rantanen",
];
const TITLES: &[(&str, &str)] = &[
    ("social", "johtava sosiaalityöntekijä"),
    ("health", "nuorisopsykiatrian erikoislääkäri"),
    ("education", "koulupsykologi"),
    ("ngo", "perhetyön asiantuntija"),
    ("police", "rikoskomisario"),
    ("prosecution", "kihlakunnansyyttäjä"),
    ("research", "yliopistotutkija"),
    ("experience_expert", "kokemusasiantuntija"),
    ("other", "erityisasiantuntija"),
];

/// Finnish bio fragments per topic, inflected as people write them, so the
/// demo shows what the finder has to cope with.
fn bio_phrase(topic: &str) -> &'static str {
    match topic {
        "honour_violence" => {
            "Työskentelen kunniaan liittyvän väkivallan ja kunniaväkivaltaan liittyvien uhkien parissa."
        }
        "custody_disputes" => "Olen tukenut perheitä pitkittyneissä huoltoriidoissa.",
        "eating_disorders" => "Syömishäiriöisten nuorten hoito ja perheiden tukeminen.",
        "child_sexual_abuse" => "Lasten seksuaalisen hyväksikäytön epäilyjen selvittäminen Barnahus-mallilla.",
        "radicalisation" => "Väkivaltaisen radikalisoitumisen ennaltaehkäisy ja exit-työ.",
        "foster_care" => "Sijaishuollon ja huostaanotettujen lasten asioiden asiantuntija.",
        "school_absence" => "Koulupoissaolojen ja kouluakäymättömyyden ratkaiseminen.",
        "domestic_violence" => "Lähisuhdeväkivallan riskinarviointi ja MARAK-työ.",
        "substance_abuse" => "Päihteitä käyttävien nuorten hoito ja perheterapia.",
        "self_harm" => "Itsetuhoisten nuorten kanssa työskentely.",
        "trauma" => "Traumatisoituneiden lasten ja nuorten hoito.",
        _ => "Monialainen yhteistyö vaativissa lastensuojelun ja psykiatrian asiakkuuksissa.",
    }
}

pub const DEMO_EXPERTS: usize = 60;

pub async fn seed(db: &Db) -> Result<()> {
    let mut org_ids = Vec::new();
    let mut tx = db.begin().await?;
    for (name, sector, county) in ORGANIZATIONS {
        let id = secrets::new_id();
        on_tx!(&mut tx, conn => sqlx::query("INSERT INTO organizations (id, name, sector, county) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING")
            .bind(&id).bind(*name).bind(*sector).bind(*county).execute(conn).await?.rows_affected());
        org_ids.push(id);
    }
    tx.commit().await?;

    let topics: Vec<&str> = reference::taxonomy_of(TaxonomyKind::Topic).map(|e| e.code).collect();
    let methods: Vec<&str> = reference::taxonomy_of(TaxonomyKind::Method).map(|e| e.code).collect();
    let counties = reference::counties();
    let mut tx = db.begin().await?;
    for i in 0..DEMO_EXPERTS {
        let (sector, title) = TITLES[i % TITLES.len()];
        let county = &counties[(i * 7) % counties.len()];
        let (org, _, _) = ORGANIZATIONS[i % ORGANIZATIONS.len()];
        let my_topics: Vec<String> =
            [topics[i % topics.len()], topics[(i * 5 + 3) % topics.len()]].iter().map(|s| s.to_string()).collect();
        let my_methods = vec![methods[(i * 3) % methods.len()].to_string()];
        let languages: Vec<String> = match i % 6 {
            0 => vec!["fi".into(), "sv".into()],
            1 => vec!["sv".into(), "fi".into(), "en".into()],
            2 => vec!["fi".into(), "en".into()],
            _ => vec!["fi".into()],
        };
        let bio = format!("{} {}", bio_phrase(&my_topics[0]), bio_phrase(&my_topics[1]));
        let given = GIVEN[i % GIVEN.len()];
        let family = FAMILY[(i * 3) % FAMILY.len()];
        let profile = NewProfile {
            external_id: Some(format!("demo-{:03}", i + 1)),
            user_id: None,
            given_name: given.into(),
            family_name: family.into(),
            title: title.into(),
            organization: org.into(),
            sector: sector.into(),
            county: county.code.into(),
            centre: county.centre.as_str().into(),
            languages,
            topics: my_topics,
            methods: my_methods,
            remote: i % 4 != 0,
            accepts_consultations: i % 9 != 0,
            capacity: (i % 4 + 1) as i64,
            bio,
            email: format!("{}.{}@example.fi", ascii_lower(given), ascii_lower(family)),
            phone: format!("+358 40 000 {:04}", i + 1),
        };
        experts::insert(&mut tx, &profile).await?;
    }
    tx.commit().await?;

    // The demo requester works in Pirkanmaa child welfare, so their cases go to the Tampere centre.
    let requester_org: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(ORGANIZATIONS[0].0).fetch_optional(pool).await?);
    for (email, name, roles, centre) in DEMO_USERS {
        let user = NewUser {
            email: email.parse()?,
            name: name.to_string(),
            roles: roles.to_vec(),
            centre: *centre,
            organization_id: if roles.contains(&Role::Requester) { requester_org.clone() } else { None },
            password: Some(DEMO_PASSWORD.into()),
        };
        let account = accounts::create(db, &user, &crate::audit::AuditActor::system()).await?;
        if let Some((title, topics, methods, bio)) = demo_expertise(email) {
            on_db!(db, pool => sqlx::query("UPDATE experts SET title = $1, topics = $2, methods = $3, bio = $4, languages = 'fi;sv' WHERE user_id = $5")
                .bind(title).bind(topics).bind(methods).bind(bio).bind(&account.id).execute(pool).await?.rows_affected());
        }
    }
    crate::demo_catalogue::seed(db).await?;
    crate::research_partners::seed_demo(db).await?;
    let mut tx = db.begin().await?;
    // Profiles changed in bulk above: every node rebuilds its index.
    experts::bump_version(&mut tx, None).await?;
    tx.commit().await?;
    Ok(())
}

/// What the demo expert logins know, so the story can be tried end to end.
fn demo_expertise(email: &str) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    match email {
        "asiantuntija@example.fi" => Some((
            "psykologi, perheterapeutti",
            "honour_violence;custody_disputes;domestic_violence",
            "systemic_model;lasta",
            "Kunniaan liittyvän väkivallan ja pitkittyneiden huoltoriitojen konsultaatiot. Työskentelen kunniaväkivaltaan liittyvien uhkien parissa.",
        )),
        "kokemus@example.fi" => Some((
            "kokemusasiantuntija",
            "foster_care;honour_violence",
            "",
            "Oma kokemus sijaishuollosta ja huostaanotosta; nuorten osallisuus.",
        )),
        _ => None,
    }
}

fn ascii_lower(s: &str) -> String {
    s.to_lowercase().replace('ä', "a").replace('ö', "o").replace('å', "a")
}

/// Two years of finished cases behind the demo statistics (see
/// [`crate::demo_history`]); the demo a person tries has them, the test
/// fixtures built on [`seed`] do not, so their figures stay their own.
pub async fn seed_history(db: &Db) -> Result<()> {
    let requester_org: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(ORGANIZATIONS[0].0).fetch_optional(pool).await?);
    let expert = accounts::find_by_email(db, &DEMO_USERS[1].0.parse()?).await?;
    // The finished cases behind the demo statistics are someone else's, a
    // requester who cannot sign in, so no demo user's lists fill up with them.
    let history = NewUser {
        email: "historia@example.fi".parse()?,
        name: "Aiemmat pyynnöt (demo)".into(),
        roles: vec![Role::Requester],
        centre: None,
        organization_id: requester_org.clone(),
        password: None,
    };
    let history = accounts::create(db, &history, &crate::audit::AuditActor::system()).await?;
    crate::demo_history::seed(db, &history.id, &expert.id).await
}
