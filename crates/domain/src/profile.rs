//! An expert's directory profile as users write it: one parser for the API,
//! the pages and the CSV import, and one rule for who may place a profile
//! in which centre. Field names are the CSV column names, so an error
//! names the same field on every path.

use crate::codes::{CentreCode, CountyCode, Email, TaxonomyCode, ValueError};
use crate::reference::TaxonomyKind;
use crate::text::{self, Lines, limits};
use crate::{Capability, Role};

/// ISO 639-1 language codes.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii \
    ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr \
    ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl \
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// A language code as ISO 639-1 has it, in lower case.
pub fn language_code(code: &str) -> Result<String, ValueError> {
    let lower = code.trim().to_ascii_lowercase();
    if lower.len() == 2 && ISO_639_1.split_ascii_whitespace().any(|c| c == lower) {
        Ok(lower)
    } else {
        Err(ValueError::new("unknown_language", format!("'{}' is not an ISO 639-1 language code", code.trim())))
    }
}

/// The profile fields as typed, before any check.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub given_name: String,
    pub family_name: String,
    pub title: String,
    pub organization: String,
    pub sector: String,
    pub county: String,
    /// Empty: the centre of the county's collaborative area.
    pub centre: String,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub methods: Vec<String>,
    pub bio: String,
    pub email: String,
    pub phone: String,
    /// Open cases the expert takes at once, 1–50; `None` keeps the current one.
    pub capacity: Option<i64>,
}

/// A profile that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedProfile {
    pub given_name: String,
    pub family_name: String,
    pub title: String,
    pub organization: String,
    pub sector: TaxonomyCode,
    pub county: CountyCode,
    pub centre: CentreCode,
    pub languages: Vec<String>,
    pub topics: Vec<TaxonomyCode>,
    pub methods: Vec<TaxonomyCode>,
    pub bio: String,
    pub email: String,
    pub phone: String,
    pub capacity: Option<i64>,
}

/// One refused field: its name (the CSV column), the position in a list
/// field, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: &'static str,
    pub index: Option<usize>,
    pub error: ValueError,
}

impl FieldError {
    /// The dotted path of the field, as the API's `field` member names it.
    pub fn path(&self) -> String {
        match self.index {
            Some(i) => format!("{}[{i}]", self.field),
            None => self.field.to_string(),
        }
    }
}

/// Checks every field and returns every problem, in field order.
pub fn check(input: &ProfileInput) -> Result<CheckedProfile, Vec<FieldError>> {
    let mut errors = Refusals(Vec::new());
    let given_name =
        errors.keep("given_name", None, text::required("given_name", &input.given_name, limits::NAME, Lines::One));
    let family_name =
        errors.keep("family_name", None, text::required("family_name", &input.family_name, limits::NAME, Lines::One));
    let title = errors.keep("title", None, text::check("title", &input.title, limits::SHORT, Lines::One));
    let organization =
        errors.keep("organization", None, text::check("organization", &input.organization, limits::SHORT, Lines::One));
    let sector = errors.keep(
        "sector",
        None,
        if input.sector.trim().is_empty() {
            Err(ValueError::new("required", "sector is required"))
        } else {
            TaxonomyCode::parse(input.sector.trim(), TaxonomyKind::Sector)
        },
    );
    let county = errors.keep("county", None, input.county.trim().parse::<CountyCode>());
    let centre = if input.centre.trim().is_empty() {
        county.as_ref().map(CountyCode::centre)
    } else {
        errors.keep("centre", None, input.centre.trim().parse::<CentreCode>())
    };
    let languages: Vec<Option<String>> =
        input.languages.iter().enumerate().map(|(i, l)| errors.keep("languages", Some(i), language_code(l))).collect();
    let topics = errors.codes("topics", &input.topics, TaxonomyKind::Topic);
    let methods = errors.codes("methods", &input.methods, TaxonomyKind::Method);
    let bio = errors.keep("bio", None, text::check("bio", &input.bio, limits::BIO, Lines::Many));
    let email = errors.keep(
        "email",
        None,
        match input.email.trim() {
            "" => Ok(String::new()),
            e => e.parse::<Email>().map(|e| e.as_str().to_string()),
        },
    );
    let phone = errors.keep("phone", None, text::check("phone", &input.phone, limits::PHONE, Lines::One));
    let capacity = errors.keep(
        "capacity",
        None,
        match input.capacity {
            Some(c) if !(1..=50).contains(&c) => Err(ValueError::new("out_of_range", "capacity must be 1–50")),
            c => Ok(c),
        },
    );
    if !errors.0.is_empty() {
        return Err(errors.0);
    }
    let all = |v: Vec<Option<TaxonomyCode>>| v.into_iter().map(|c| c.expect("no errors")).collect();
    let mut languages: Vec<String> = languages.into_iter().map(|l| l.expect("no errors")).collect();
    dedup_in_order(&mut languages);
    Ok(CheckedProfile {
        given_name: given_name.expect("no errors"),
        family_name: family_name.expect("no errors"),
        title: title.expect("no errors"),
        organization: organization.expect("no errors"),
        sector: sector.expect("no errors"),
        county: county.expect("no errors"),
        centre: centre.expect("no errors"),
        languages,
        topics: all(topics),
        methods: all(methods),
        bio: bio.expect("no errors"),
        email: email.expect("no errors"),
        phone: phone.expect("no errors"),
        capacity: capacity.expect("no errors"),
    })
}

struct Refusals(Vec<FieldError>);

impl Refusals {
    fn keep<T>(&mut self, field: &'static str, index: Option<usize>, r: Result<T, ValueError>) -> Option<T> {
        r.map_err(|error| self.0.push(FieldError { field, index, error })).ok()
    }

    fn codes(&mut self, field: &'static str, values: &[String], kind: TaxonomyKind) -> Vec<Option<TaxonomyCode>> {
        values.iter().enumerate().map(|(i, v)| self.keep(field, Some(i), TaxonomyCode::parse(v.trim(), kind))).collect()
    }
}

fn dedup_in_order(values: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    values.retain(|v| seen.insert(v.clone()));
}

/// Who is editing: their roles, their centre, and whether the profile is their own.
#[derive(Debug, Clone, Copy)]
pub struct Editor<'a> {
    pub roles: &'a [Role],
    pub centre: Option<CentreCode>,
    pub owns_profile: bool,
}

impl Editor<'_> {
    fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }

    fn coordinates(&self, centre: CentreCode) -> bool {
        self.roles.contains(&Role::Coordinator) && self.centre == Some(centre)
    }

    /// May change the profile held by `current` at all: their own, their
    /// centre's as coordinator, any as admin.
    pub fn may_edit(&self, current: CentreCode) -> bool {
        self.owns_profile || self.coordinates(current) || self.is_admin()
    }

    /// May write a profile now at `current` (`None`: a new one) so that it
    /// is held by `new`: a coordinator places profiles only in their own
    /// centre and an expert keeps their own where it is; only an admin
    /// moves a profile between centres. One rule for the API, the pages and
    /// the import.
    pub fn may_write(&self, current: Option<CentreCode>, new: CentreCode) -> bool {
        if self.is_admin() {
            return true;
        }
        match current {
            None => self.roles.iter().any(|r| r.grants(Capability::ManageExperts)) && self.coordinates(new),
            Some(current) => {
                self.may_edit(current) && (current == new || self.coordinates(current) && self.coordinates(new))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProfileInput {
        ProfileInput {
            given_name: "Anna".into(),
            family_name: "Aalto".into(),
            sector: "social".into(),
            county: "pirkanmaa".into(),
            languages: vec!["fi".into(), "SV".into(), "fi".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_profile_passes_with_its_centre_from_the_county() {
        let p = check(&input()).unwrap();
        assert_eq!(p.centre, CentreCode::Tampere);
        assert_eq!(p.languages, ["fi", "sv"]);
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let mut i = input();
        i.bio = "Lapsen hetu 131052-308T".into();
        i.title = "a\u{0}b".into();
        i.languages = vec!["fi".into(), "xx".into(), "fin".into()];
        i.topics = vec!["nope".into()];
        i.capacity = Some(0);
        let paths: Vec<String> = check(&i).unwrap_err().iter().map(FieldError::path).collect();
        assert_eq!(paths, ["title", "languages[1]", "languages[2]", "topics[0]", "bio", "capacity"]);
    }

    #[test]
    fn only_an_admin_moves_a_profile_between_centres() {
        use CentreCode::*;
        let coordinator = Editor { roles: &[Role::Coordinator], centre: Some(Tampere), owns_profile: false };
        assert!(coordinator.may_write(Some(Tampere), Tampere));
        assert!(coordinator.may_write(None, Tampere));
        assert!(!coordinator.may_write(Some(Tampere), Oulu));
        assert!(!coordinator.may_write(Some(Oulu), Tampere));
        assert!(!coordinator.may_write(Some(Oulu), Oulu));
        assert!(!coordinator.may_write(None, Oulu));
        let expert = Editor { roles: &[Role::Expert], centre: Some(Tampere), owns_profile: true };
        assert!(expert.may_write(Some(Tampere), Tampere));
        assert!(!expert.may_write(Some(Tampere), Helsinki));
        assert!(!expert.may_write(None, Tampere));
        let admin = Editor { roles: &[Role::Admin], centre: None, owns_profile: false };
        assert!(admin.may_write(Some(Tampere), Oulu) && admin.may_write(None, Kuopio));
    }
}
