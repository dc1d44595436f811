//! Demo teams, specialisations and services, so a new installation shows a
//! catalogue. Fixed ids and ON CONFLICT keep a second run harmless; the ids
//! are UUIDs because the HSDS export requires them.

use tukiverkko_domain::catalogue::Names;
use tukiverkko_domain::consultation::ServiceLevels;
use tukiverkko_domain::reference;

use crate::audit::AuditActor;
use crate::catalogue::{NewService, insert_service};
use crate::teams::{NewTeam, insert};
use crate::{Db, Result, on_db, on_tx};

fn names(fi: &str, sv: &str, en: &str) -> Names {
    Names { fi: fi.into(), sv: sv.into(), en: en.into() }
}

fn counties_of(centre: &str) -> Vec<String> {
    reference::counties().iter().filter(|c| c.centre.as_str() == centre).map(|c| c.code.to_string()).collect()
}

async fn expert_by_external(db: &Db, external: &str) -> Result<Option<String>> {
    Ok(on_db!(db, pool => sqlx::query_scalar("SELECT id FROM experts WHERE external_id = $1")
        .bind(external).fetch_optional(pool).await?))
}

async fn expert_of_user(db: &Db, email: &str) -> Result<Option<String>> {
    Ok(on_db!(db, pool => sqlx::query_scalar(
        "SELECT e.id FROM experts e JOIN users u ON u.id = e.user_id WHERE u.email = $1")
        .bind(email).fetch_optional(pool).await?))
}

/// Team id, centre, kind, names, topics, methods, members (demo logins by
/// e-mail or demo profiles by external id; the first leads).
type DemoTeam =
    (&'static str, &'static str, &'static str, [&'static str; 3], &'static str, &'static str, &'static [&'static str]);

const TEAMS: &[DemoTeam] = &[
    (
        "7ea40000-0000-4000-8000-000000000001",
        "tampere",
        "competence_team",
        [
            "Kunniaan liittyvän väkivallan osaamistiimi",
            "Kompetensteamet för hedersrelaterat våld",
            "Honour-related violence competence team",
        ],
        "honour_violence;domestic_violence;custody_disputes",
        "systemic_model",
        &["asiantuntija@example.fi", "kokemus@example.fi", "demo-002", "demo-003"],
    ),
    (
        "7ea40000-0000-4000-8000-000000000002",
        "oulu",
        "barnahus",
        ["Pohjois-Suomen Barnahus-tiimi", "Barnahus-teamet i Norra Finland", "Northern Finland Barnahus team"],
        "child_sexual_abuse;trauma",
        "barnahus;tf_cbt",
        &["demo-004", "demo-005", "demo-006", "demo-014"],
    ),
    (
        "7ea40000-0000-4000-8000-000000000003",
        "helsinki",
        "expert_group",
        ["Radikalisoitumisen asiantuntijaryhmä", "Expertgruppen för radikalisering", "Radicalisation expert group"],
        "radicalisation;immigrants",
        "",
        &["demo-007", "demo-008", "demo-009"],
    ),
];

/// Service id, centre, team, names, descriptions, topics, formats, days (urgent, normal, planned).
type DemoService = (
    &'static str,
    &'static str,
    Option<&'static str>,
    [&'static str; 3],
    [&'static str; 3],
    &'static str,
    &'static str,
    (u32, u32, u32),
);

const SERVICES: &[DemoService] = &[
    (
        "5e7c0000-0000-4000-8000-000000000001",
        "tampere",
        Some("7ea40000-0000-4000-8000-000000000001"),
        [
            "Kunniaan liittyvän väkivallan konsultaatio",
            "Konsultation om hedersrelaterat våld",
            "Consultation on honour-related violence",
        ],
        [
            "Osaamistiimi arvioi uhan ja neuvoo suojelussa: kirjallinen lausunto tai verkostopalaveri.",
            "Kompetensteamet bedömer hotet och ger råd om skydd: skriftligt utlåtande eller nätverksmöte.",
            "The competence team assesses the threat and advises on protection: a written statement or a network meeting.",
        ],
        "honour_violence;domestic_violence",
        "statement;meeting",
        (1, 5, 15),
    ),
    (
        "5e7c0000-0000-4000-8000-000000000002",
        "tampere",
        None,
        [
            "Yhteisasiakkaiden monialainen konsultaatio",
            "Multiprofessionell konsultation om gemensamma klienter",
            "Multidisciplinary consultation on shared clients",
        ],
        [
            "Lastensuojelun ja psykiatrian yhteisasiakkaat: paneeli kokoaa sosiaalityön, psykiatrian ja opetuksen näkemyksen.",
            "Gemensamma klienter inom barnskydd och psykiatri: panelen samlar socialt arbete, psykiatri och undervisning.",
            "Shared clients of child welfare and psychiatry: a panel of social work, psychiatry and education.",
        ],
        "shared_clients;foster_care;adolescent_psychiatry",
        "statement;meeting;visit",
        (2, 10, 20),
    ),
    (
        "5e7c0000-0000-4000-8000-000000000003",
        "oulu",
        Some("7ea40000-0000-4000-8000-000000000002"),
        ["Barnahus-konsultaatio", "Barnahus-konsultation", "Barnahus consultation"],
        [
            "Epäily lapseen kohdistuneesta seksuaalisesta väkivallasta: tutkinnan ja tuen yhteensovitus.",
            "Misstanke om sexuellt våld mot barn: samordning av utredning och stöd.",
            "Suspected sexual abuse of a child: coordinating the investigation and support.",
        ],
        "child_sexual_abuse",
        "meeting;statement",
        (1, 3, 10),
    ),
    (
        "5e7c0000-0000-4000-8000-000000000004",
        "helsinki",
        Some("7ea40000-0000-4000-8000-000000000003"),
        [
            "Radikalisoitumisen ennaltaehkäisyn konsultaatio",
            "Konsultation om förebyggande av radikalisering",
            "Consultation on preventing radicalisation",
        ],
        [
            "Huoli nuoren väkivaltaisesta radikalisoitumisesta: riskinarvio ja exit-työn suunnitelma.",
            "Oro för en ungs våldsbejakande radikalisering: riskbedömning och plan för exitarbete.",
            "Concern about a young person's violent radicalisation: risk assessment and an exit plan.",
        ],
        "radicalisation",
        "statement;meeting",
        (2, 5, 15),
    ),
    (
        "5e7c0000-0000-4000-8000-000000000005",
        "turku",
        None,
        [
            "Vaativien huoltoriitojen konsultaatio",
            "Konsultation om svåra vårdnadstvister",
            "Consultation on high-conflict custody disputes",
        ],
        [
            "Pitkittyneet huoltoriidat, vieraannuttaminen ja vainoaminen: lausunto lapsen edun arvioinnista.",
            "Utdragna vårdnadstvister, alienation och förföljelse: utlåtande om bedömningen av barnets bästa.",
            "Prolonged custody disputes, parental alienation and stalking: a statement on the child's best interests.",
        ],
        "custody_disputes;parental_alienation;stalking",
        "statement;meeting",
        (3, 10, 20),
    ),
    (
        "5e7c0000-0000-4000-8000-000000000006",
        "kuopio",
        None,
        [
            "Koulupoissaolojen ja erityisen tuen konsultaatio",
            "Konsultation om skolfrånvaro och särskilt stöd",
            "Consultation on school absence and special support",
        ],
        [
            "Koulupsykologi ja lastenpsykiatri neuvovat koulunkäynnin tukemisessa; tarvittaessa jalkautuva käynti.",
            "Skolpsykolog och barnpsykiater ger råd om stöd för skolgången; vid behov besök.",
            "A school psychologist and a child psychiatrist advise on school support; a visit when needed.",
        ],
        "school_absence;education_support;neurodevelopmental",
        "statement;visit",
        (3, 10, 20),
    ),
];

/// Topic and description (Finnish) of each centre's demo specialisations.
const SPECIALISATIONS: &[(&str, &str, &str)] = &[
    ("tampere", "honour_violence", "Kunniaan liittyvän väkivallan valtakunnallinen osaaminen"),
    ("oulu", "child_sexual_abuse", "Barnahus-toiminnan valtakunnallinen kehittäminen"),
    ("helsinki", "radicalisation", "Väkivaltaisen radikalisoitumisen ennaltaehkäisy"),
    ("turku", "custody_disputes", "Vaativat huoltoriidat ja vieraannuttaminen"),
    ("kuopio", "school_absence", "Koulupoissaolot ja vaativa erityinen tuki"),
];

pub async fn seed(db: &Db) -> Result<()> {
    let split = |s: &str| crate::experts::split(s);
    for (id, centre, kind, [fi, sv, en], topics, methods, members) in TEAMS {
        let mut ids = Vec::new();
        for m in members.iter() {
            let found = if m.contains('@') { expert_of_user(db, m).await? } else { expert_by_external(db, m).await? };
            ids.extend(found);
        }
        let exists: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT id FROM teams WHERE id = $1")
            .bind(*id).fetch_optional(pool).await?);
        if exists.is_some() || ids.is_empty() {
            continue;
        }
        let team = NewTeam {
            name: names(fi, sv, en),
            kind: kind.to_string(),
            centre: centre.to_string(),
            counties: counties_of(centre),
            topics: split(topics),
            methods: split(methods),
            members: ids.iter().enumerate().map(|(i, e)| (e.clone(), i == 0)).collect(),
            contact: format!("{centre}.tiimi@example.fi"),
            accepts_consultations: true,
        };
        let mut tx = db.begin().await?;
        insert(&mut tx, id, &team, None).await?;
        tx.commit().await?;
    }
    for (id, centre, team, [nfi, nsv, nen], [dfi, dsv, den], topics, formats, (urgent, normal, planned)) in SERVICES {
        let exists: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT id FROM services WHERE id = $1")
            .bind(*id).fetch_optional(pool).await?);
        if exists.is_some() {
            continue;
        }
        let team_exists: Option<String> = on_db!(db, pool => sqlx::query_scalar("SELECT id FROM teams WHERE id = $1")
            .bind(*team).fetch_optional(pool).await?);
        let service = NewService {
            centre: centre.to_string(),
            name: names(nfi, nsv, nen),
            description: names(dfi, dsv, den),
            topics: split(topics),
            formats: split(formats),
            target_group: "Lapset ja nuoret 0–18 v. ja heidän perheensä".into(),
            age_min: Some(0),
            age_max: Some(18),
            levels: ServiceLevels { urgent: *urgent, normal: *normal, planned: *planned },
            team: team_exists,
            how_to_ask: "Tee konsultaatiopyyntö tukiverkossa tämän palvelun kautta.".into(),
            contact_email: format!("konsultaatiot.{centre}@example.fi"),
        };
        insert_service(db, &AuditActor::system(), id, &service).await?;
    }
    let mut tx = db.begin().await?;
    for (i, (centre, topic, description)) in SPECIALISATIONS.iter().enumerate() {
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO centre_specialisations (centre, topic, description, position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(*centre).bind(*topic).bind(*description).bind(i as i64).execute(conn).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(())
}
