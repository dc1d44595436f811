//! A generated corpus of expert profiles and a relevance set over it. The
//! bios use other inflected forms than the queries, the way people write,
//! so the set measures what the finder is for. Deterministic: the same
//! seed gives the same corpus and judgments.
#![allow(dead_code)]

use tukiverkko_domain::reference::{self, TaxonomyKind};
use tukiverkko_search::{Document, Query};
use tukiverkko_store::experts::NewProfile;

/// A small deterministic generator (64-bit LCG); no dependency needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407))
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
}

/// Bio phrases per topic: Finnish (inflected as written) and Swedish.
const PHRASES: &[(&str, &[&str], &[&str])] = &[
    (
        "honour_violence",
        &[
            "Työskentelen kunniaväkivaltaan liittyvien uhkien parissa.",
            "Kunniaan liittyvän väkivallan ehkäisy ja turvallisuussuunnitelmat.",
            "Pakkoavioliittojen ja kunniaväkivallan uhrien tukeminen.",
        ],
        &["Arbete mot hedersrelaterat våld och tvångsäktenskap."],
    ),
    (
        "custody_disputes",
        &[
            "Olen tukenut perheitä pitkittyneissä huoltoriidoissa.",
            "Huoltoriitojen sovittelu ja lapsen edun arviointi.",
            "Eroperheiden huoltoriitoihin liittyvä työ.",
        ],
        &["Stöd till familjer i utdragna vårdnadstvister."],
    ),
    (
        "eating_disorders",
        &["Syömishäiriöisten nuorten hoito ja perheterapia.", "Syömishäiriöiden varhainen tunnistaminen koulussa."],
        &["Behandling av unga med ätstörningar."],
    ),
    (
        "radicalisation",
        &[
            "Väkivaltaisen radikalisoitumisen ennaltaehkäisy ja exit-työ.",
            "Radikalisoituneiden nuorten kanssa työskentely.",
        ],
        &["Förebyggande av våldsbejakande radikalisering."],
    ),
    (
        "foster_care",
        &[
            "Sijaishuollon ja huostaanotettujen lasten asioiden asiantuntija.",
            "Sijoitettujen lasten hyvinvointi ja sijaishuoltopaikkojen tuki.",
        ],
        &["Vård utom hemmet och placerade barns välbefinnande."],
    ),
    (
        "school_absence",
        &[
            "Koulupoissaolojen ja kouluakäymättömyyden ratkaiseminen.",
            "Kouluun palaamisen tukeminen pitkien poissaolojen jälkeen.",
        ],
        &["Skolfrånvaro och stöd för att återvända till skolan."],
    ),
    (
        "domestic_violence",
        &["Lähisuhdeväkivallan riskinarviointi ja MARAK-työ.", "Perheväkivaltaa kokeneiden lasten tukeminen."],
        &["Riskbedömning vid våld i nära relationer."],
    ),
    (
        "substance_abuse",
        &["Päihteitä käyttävien nuorten hoito.", "Nuorten päihdeongelmien varhainen puuttuminen."],
        &["Unga med missbruksproblem."],
    ),
    (
        "self_harm",
        &["Itsetuhoisten nuorten kanssa työskentely.", "Itsetuhoisuuden arviointi ja kriisityö."],
        &["Unga med självskadebeteende."],
    ),
    (
        "trauma",
        &["Traumatisoituneiden lasten ja nuorten hoito.", "Traumojen käsittely lapsilla."],
        &["Traumatiserade barn och unga."],
    ),
    (
        "child_sexual_abuse",
        &[
            "Lasten seksuaalisen hyväksikäytön epäilyjen selvittäminen.",
            "Seksuaalista väkivaltaa kokeneiden lasten tutkimukset.",
        ],
        &["Utredning av misstänkta sexuella övergrepp mot barn."],
    ),
    (
        "parental_alienation",
        &["Vieraannuttamisen tunnistaminen eroperheissä.", "Vanhemmasta vieraannutetun lapsen tukeminen."],
        &["Föräldraalienation i separerade familjer."],
    ),
    (
        "neurodevelopmental",
        &["Neuropsykiatristen häiriöiden arviointi ja ADHD-kuntoutus.", "Autismikirjon nuorten tukeminen."],
        &["Neuropsykiatriska funktionsnedsättningar."],
    ),
    (
        "immigrants",
        &[
            "Maahanmuuttajaperheiden ja turvapaikanhakijoiden lasten tukeminen.",
            "Ilman huoltajaa tulleiden alaikäisten asiat.",
        ],
        &["Stöd till invandrarfamiljer och asylsökande barn."],
    ),
    (
        "stalking",
        &["Vainoamisen uhrien turvallisuus ja tukeminen.", "Vainon vaikutukset lapsiin eroperheissä."],
        &["Stalkning och förföljelse efter skilsmässa."],
    ),
];

const GIVEN: &[&str] = &[
    "Anna", "Mikko", "Sanna", "Juha", "Laura", "Ville", "Elina", "Antti", "Heidi", "Petri", "Karin", "Erik", "Maria",
    "Oskar", "Noora", "Jussi", "Riikka", "Sami", "Tiina", "Kalle",
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
    "Karjalainen",
    "Ahonen",
];
const TITLES: &[&str] = &[
    "sosiaalityöntekijä",
    "psykologi",
    "erikoislääkäri",
    "perheterapeutti",
    "koulukuraattori",
    "rikoskomisario",
    "tutkija",
    "kokemusasiantuntija",
    "sairaanhoitaja",
];
const FILLER: &[&str] = &[
    "Monialainen yhteistyö vaativissa asiakkuuksissa.",
    "Konsultoin mielelläni myös etänä.",
    "Koulutan ammattilaisia alueellisesti.",
    "Työnohjaus ja tiimien tukeminen.",
];

pub struct Profile {
    pub new: NewProfile,
    pub primary: String,
    pub secondary: String,
    pub method: String,
}

pub fn profiles(n: usize, seed: u64) -> Vec<Profile> {
    let mut rng = Rng::new(seed);
    let topics: Vec<&str> = PHRASES.iter().map(|(t, _, _)| *t).collect();
    let all_topics: Vec<&str> = reference::taxonomy_of(TaxonomyKind::Topic).map(|e| e.code).collect();
    let methods: Vec<&str> = reference::taxonomy_of(TaxonomyKind::Method).map(|e| e.code).collect();
    let sectors: Vec<&str> = reference::taxonomy_of(TaxonomyKind::Sector).map(|e| e.code).collect();
    let counties = reference::counties();
    (0..n)
        .map(|i| {
            let primary = *rng.pick(&topics);
            let secondary = *rng.pick(&all_topics);
            let method = *rng.pick(&methods);
            let swedish = rng.next().is_multiple_of(5);
            let (_, fi, sv) = PHRASES.iter().find(|(t, _, _)| *t == primary).expect("primary has phrases");
            let mut bio = if swedish { rng.pick::<&str>(sv).to_string() } else { rng.pick::<&str>(fi).to_string() };
            if let Some((_, fi2, _)) = PHRASES.iter().find(|(t, _, _)| *t == secondary)
                && rng.next().is_multiple_of(2)
            {
                bio.push(' ');
                bio.push_str(rng.pick::<&str>(fi2));
            }
            bio.push(' ');
            bio.push_str(rng.pick::<&str>(FILLER));
            let county = &counties[(rng.next() as usize) % counties.len()];
            let languages = if swedish {
                vec!["sv".into(), "fi".into()]
            } else if rng.next().is_multiple_of(4) {
                vec!["fi".into(), "en".into()]
            } else {
                vec!["fi".into()]
            };
            Profile {
                new: NewProfile {
                    external_id: Some(format!("bench-{i:06}")),
                    user_id: None,
                    given_name: rng.pick(GIVEN).to_string(),
                    family_name: rng.pick(FAMILY).to_string(),
                    title: rng.pick(TITLES).to_string(),
                    organization: format!("Organisaatio {}", i % 97),
                    sector: rng.pick(&sectors).to_string(),
                    county: county.code.to_string(),
                    centre: county.centre.as_str().to_string(),
                    languages,
                    topics: vec![primary.to_string(), secondary.to_string()],
                    methods: vec![method.to_string()],
                    remote: !rng.next().is_multiple_of(3),
                    accepts_consultations: !rng.next().is_multiple_of(10),
                    capacity: 3,
                    bio,
                    email: String::new(),
                    phone: String::new(),
                },
                primary: primary.to_string(),
                secondary: secondary.to_string(),
                method: method.to_string(),
            }
        })
        .collect()
}

/// What a query is looking for.
pub enum Target {
    Topic(&'static str),
    Method(&'static str),
}

pub struct BenchQuery {
    pub text: &'static str,
    pub target: Target,
    pub county: Option<&'static str>,
    pub language: Option<&'static str>,
}

const fn q(text: &'static str, topic: &'static str) -> BenchQuery {
    BenchQuery { text, target: Target::Topic(topic), county: None, language: None }
}

const fn m(text: &'static str, method: &'static str) -> BenchQuery {
    BenchQuery { text, target: Target::Method(method), county: None, language: None }
}

pub const QUERIES: &[BenchQuery] = &[
    q("kunniaväkivallan uhka", "honour_violence"),
    q("kunniaväkivaltaa kokeneet", "honour_violence"),
    q("pakkoavioliitot", "honour_violence"),
    q("hedersrelaterat våld", "honour_violence"),
    q("honour-based violence", "honour_violence"),
    q("huoltoriidoissa", "custody_disputes"),
    q("huoltoriita", "custody_disputes"),
    q("pitkittyneet huoltoriidat", "custody_disputes"),
    q("vårdnadstvister", "custody_disputes"),
    q("custody dispute", "custody_disputes"),
    q("syömishäiriöisten nuorten", "eating_disorders"),
    q("syömishäiriö", "eating_disorders"),
    q("ätstörningar", "eating_disorders"),
    q("eating disorders", "eating_disorders"),
    q("radikalisoitumisen ehkäisy", "radicalisation"),
    q("radikalisoituneet nuoret", "radicalisation"),
    q("radikalisering", "radicalisation"),
    q("sijaishuollossa olevat lapset", "foster_care"),
    q("huostaanotto", "foster_care"),
    q("vård utom hemmet", "foster_care"),
    q("koulupoissaolot", "school_absence"),
    q("kouluakäymättömyys", "school_absence"),
    q("skolfrånvaro", "school_absence"),
    q("school absence", "school_absence"),
    q("lähisuhdeväkivalta", "domestic_violence"),
    q("perheväkivallan riskinarvio", "domestic_violence"),
    q("våld i nära relationer", "domestic_violence"),
    q("päihteitä käyttävä nuori", "substance_abuse"),
    q("nuorten päihdeongelmat", "substance_abuse"),
    q("missbruk", "substance_abuse"),
    q("itsetuhoinen nuori", "self_harm"),
    q("itsetuhoisuus", "self_harm"),
    q("självskadebeteende", "self_harm"),
    q("traumatisoitunut lapsi", "trauma"),
    q("trauman hoito", "trauma"),
    q("trauma", "trauma"),
    q("seksuaalinen hyväksikäyttö", "child_sexual_abuse"),
    q("hyväksikäytön epäily", "child_sexual_abuse"),
    q("sexuella övergrepp", "child_sexual_abuse"),
    q("vieraannuttaminen", "parental_alienation"),
    q("vieraannutettu lapsi", "parental_alienation"),
    q("föräldraalienation", "parental_alienation"),
    q("neuropsykiatriset häiriöt", "neurodevelopmental"),
    q("autismikirjo", "neurodevelopmental"),
    q("maahanmuuttajaperheet", "immigrants"),
    q("turvapaikanhakijat", "immigrants"),
    q("asylsökande barn", "immigrants"),
    q("vainoaminen", "stalking"),
    q("vainon uhri", "stalking"),
    q("stalkning", "stalking"),
    // Described situations (tuning set: written here, never the held-out ones).
    q("13-vuotias tyttö viiltelee käsivarsiaan ja puhuu kuolemasta", "self_harm"),
    q("poika on lopettanut syömisen ja paino laskee nopeasti", "eating_disorders"),
    q("vanhemmat riitelevät lapsen asumisesta käräjäoikeudessa", "custody_disputes"),
    q("äiti estää tapaamiset eikä lapsi enää halua nähdä isäänsä", "parental_alienation"),
    q("nuori katsoo netissä äärijärjestöjen videoita ja ihailee iskuja", "radicalisation"),
    q("suku painostaa 16-vuotiasta naimisiin kotimaassa", "honour_violence"),
    q("isä lyö äitiä lasten nähden", "domestic_violence"),
    q("epäilemme että lasta on koskettu seksuaalisesti", "child_sexual_abuse"),
    q("15-vuotias polttaa kannabista päivittäin", "substance_abuse"),
    q("lapsi ei ole käynyt koulussa kahteen kuukauteen", "school_absence"),
    q("entinen puoliso seuraa ja lähettää uhkaavia viestejä", "stalking"),
    q("pakolaislapsi näkee painajaisia sodasta", "trauma"),
    q("lapsella on autismi ja raivokohtauksia kotona", "neurodevelopmental"),
    q("sijoitettu nuori karkailee laitoksesta viikoittain", "institutional_care"),
    q("perhehoitaja uupuu sijaislapsen käytöksen kanssa", "family_foster_care"),
    q("flickan skär sig och har självmordstankar", "self_harm"),
    q("pojken vägrar äta och tränar tvångsmässigt", "eating_disorders"),
    q("föräldrarna bråkar om vårdnaden och boendet", "custody_disputes"),
    q("familjen hotar dottern om hon har en pojkvän", "honour_violence"),
    q("tonåringen röker hasch varje dag", "substance_abuse"),
    q("barnet vill inte gå till skolan och har ont i magen", "school_absence"),
    q("pappan slår mamman när barnen är hemma", "domestic_violence"),
    q("ungdomen sprider extremistisk propaganda på nätet", "radicalisation"),
    q("girl cuts her arms and talks about suicide", "self_harm"),
    q("teenager refuses food and has lost a lot of weight", "eating_disorders"),
    q("parents fighting over custody after divorce", "custody_disputes"),
    q("boy watches extremist videos online", "radicalisation"),
    q("child disclosed sexual abuse by stepfather", "child_sexual_abuse"),
    q("father hits the mother in front of the children", "domestic_violence"),
    q("teen smoking weed every day", "substance_abuse"),
    m("Barnahus-malli", "barnahus"),
    m("MDFT-terapia", "mdft"),
    m("LASTA-mallin", "lasta"),
    m("systeeminen lastensuojelu", "systemic_model"),
    m("Lapset puheeksi -menetelmä", "lapset_puheeksi"),
    m("Cool Kids", "cool_kids"),
    m("IPC-terapia", "ipc"),
    BenchQuery {
        text: "kunniaväkivalta",
        target: Target::Topic("honour_violence"),
        county: Some("pirkanmaa"),
        language: None,
    },
    BenchQuery {
        text: "huoltoriidat",
        target: Target::Topic("custody_disputes"),
        county: Some("helsinki"),
        language: None,
    },
    BenchQuery {
        text: "syömishäiriöt", target: Target::Topic("eating_disorders"), county: None, language: Some("sv")
    },
    BenchQuery {
        text: "radikalisoituminen",
        target: Target::Topic("radicalisation"),
        county: Some("pohjois-pohjanmaa"),
        language: None,
    },
    BenchQuery { text: "traumat", target: Target::Topic("trauma"), county: None, language: Some("en") },
];

/// Graded relevance: 3 the profile's main topic (or its method), 2 its
/// second topic, 0 otherwise or when a filter excludes it.
pub fn grade(q: &BenchQuery, p: &Profile) -> u32 {
    if q.county.is_some_and(|c| p.new.county != c)
        || q.language.is_some_and(|l| !p.new.languages.iter().any(|x| x == l))
    {
        return 0;
    }
    match q.target {
        Target::Topic(t) if p.primary == t => 3,
        Target::Topic(t) if p.secondary == t => 2,
        Target::Method(m) if p.method == m => 3,
        _ => 0,
    }
}

/// NDCG@10 of a ranking against the ideal ordering of all judged profiles.
pub fn ndcg10(ranked: &[u32], all_grades: &[u32]) -> f64 {
    let dcg = |grades: &[u32]| -> f64 {
        grades.iter().take(10).enumerate().map(|(i, g)| (2f64.powi(*g as i32) - 1.0) / ((i + 2) as f64).log2()).sum()
    };
    let mut ideal = all_grades.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(&ideal);
    if best == 0.0 { 0.0 } else { dcg(ranked) / best }
}

/// The text PostgreSQL indexes for a profile: the same fields and taxonomy
/// labels (all three languages, with synonyms) the finder indexes.
pub fn fts_text(p: &NewProfile) -> String {
    let mut parts =
        vec![p.given_name.clone(), p.family_name.clone(), p.title.clone(), p.organization.clone(), p.bio.clone()];
    for code in p.topics.iter().chain(&p.methods).chain(std::iter::once(&p.sector)) {
        if let Some(e) = reference::taxonomy_entry(code) {
            parts.extend([e.label_fi.clone(), e.label_sv.clone(), e.label_en.clone()]);
            parts.extend(e.synonyms_fi.iter().chain(&e.synonyms_sv).chain(&e.synonyms_en).cloned());
        }
    }
    parts.join(" ")
}

pub fn document(p: &Profile) -> Document {
    let n = &p.new;
    Document {
        id: n.external_id.clone().unwrap(),
        external_id: n.external_id.clone().unwrap(),
        name: format!("{} {}", n.given_name, n.family_name),
        title: n.title.clone(),
        organization: n.organization.clone(),
        sector: n.sector.clone(),
        county: n.county.clone(),
        centre: n.centre.clone(),
        languages: n.languages.clone(),
        topics: n.topics.clone(),
        methods: n.methods.clone(),
        remote: n.remote,
        accepts_consultations: n.accepts_consultations,
        capacity: n.capacity,
        bio: n.bio.clone(),
    }
}

pub fn finder_query(q: &BenchQuery, limit: usize) -> Query {
    Query {
        text: q.text.into(),
        county: q.county.map(String::from),
        language: q.language.map(String::from),
        limit,
        ..Query::default()
    }
}
