//! The page's two languages. Every text exists in both by construction (one
//! macro arm per text); a test checks none is left empty.

use innsyn_domain::Decision;

/// The page's language: Norwegian bokmål unless the citizen asks for English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Lang {
    #[default]
    Nb,
    En,
}

impl Lang {
    /// `nb`/`no`/`nob` or `en`; anything else is not a choice.
    pub(crate) fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "nb" | "no" | "nob" | "nb-no" => Some(Lang::Nb),
            "en" | "eng" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }

    /// The `lang` attribute and parameter value.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch link.
    pub(crate) fn other(self) -> Self {
        match self {
            Lang::Nb => Lang::En,
            Lang::En => Lang::Nb,
        }
    }
}

macro_rules! texts {
    ($($key:ident => $nb:expr, $en:expr;)*) => {
        /// A text of the page.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum T { $($key),* }

        impl T {
            #[cfg(test)]
            pub(crate) const ALL: &'static [T] = &[$(T::$key),*];

            /// The text in `lang`.
            pub(crate) fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::Nb) => $nb, (T::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

texts! {
    SiteName => "innsyn", "innsyn";
    Title => "Min innloggingshistorikk", "My login history";
    SkipToContent => "Hopp til hovedinnhold", "Skip to main content";
    SwitchLanguage => "English", "Norsk";
    Intro => "Her ser du når du har logget inn med eID gjennom ID-porten, og hvem som har hentet opplysninger om deg. Kjenner du ikke igjen en innlogging, bør du bytte passord eller kode på eID-en din og kontakte den som utstedte den.",
             "Here you can see when you logged in with an eID through ID-porten, and who has retrieved information about you. If you do not recognise a login, change the password or code of your eID and contact its issuer.";
    LoginHeading => "Logg inn for å se historikken din", "Log in to see your history";
    LoginIntro => "Du logger inn med ID-porten. Vi viser bare dine egne opplysninger.", "You log in with ID-porten. We only show your own information.";
    LoginButton => "Logg inn med ID-porten", "Log in with ID-porten";
    LoggedOut => "Du er logget ut.", "You are logged out.";
    SessionExpired => "Økten din er utløpt. Logg inn igjen for å fortsette der du var.", "Your session has expired. Log in again to continue where you were.";
    LoginFailed => "Innloggingen ble ikke fullført. Prøv igjen.", "The login was not completed. Please try again.";
    LoginUnavailable => "Innlogging er ikke satt opp for denne tjenesten.", "Login is not configured for this service.";
    Logout => "Logg ut", "Log out";
    DevHeading => "Utviklingsinnlogging", "Development login";
    DevIntro => "Kun for utvikling: velg en demo-innbygger. Ingen ekte innlogging skjer.", "Development only: choose a demo citizen. No real login takes place.";
    DevChoose => "Demo-innbygger", "Demo citizen";
    DevSubmit => "Logg inn som valgt innbygger", "Log in as the chosen citizen";
    DevLink => "Logg inn med demo-innbygger (utvikling)", "Log in as a demo citizen (development)";
    FiltersHeading => "Avgrens visningen", "Narrow the view";
    Period => "Periode", "Period";
    Period7d => "Siste 7 dager", "Last 7 days";
    Period30d => "Siste 30 dager", "Last 30 days";
    Period90d => "Siste 3 måneder", "Last 3 months";
    Period1y => "Siste 12 måneder", "Last 12 months";
    PeriodAll => "Hele historikken", "All history";
    Service => "Tjeneste", "Service";
    AllServices => "Alle tjenester", "All services";
    Decision => "Utfall", "Decision";
    AllDecisions => "Alle utfall", "All decisions";
    Apply => "Vis", "Show";
    Reset => "Nullstill", "Reset";
    LoginsHeading => "Innlogginger", "Logins";
    LoginsCaption => "Dine innlogginger, nyeste først", "Your logins, newest first";
    When => "Tidspunkt", "Time";
    Organisation => "Organisasjon", "Organisation";
    Eid => "eID og metode", "eID and method";
    Note => "Merknad", "Note";
    TryWider => "Prøv en lengre periode eller alle tjenester.", "Try a longer period or all services.";
    ShowOnlyFlagged => "Vis bare de merkede", "Show only the marked ones";
    ShowingOnlyFlagged => "Viser bare merkede innlogginger.", "Showing marked logins only.";
    ShowAll => "Vis alle", "Show all";
    OnlyFlagged => "Bare merkede innlogginger", "Marked logins only";
    DecisionFilter => "Utfall (gjelder oppslag)", "Decision (look-ups only)";
    WhatHappened => "Hva skjedde", "What happened";
    PurposeWord => "formål:", "purpose:";
    Via => "via", "via";
    PermitExplained => "Tillatt — opplysningene ble utlevert", "Permitted — the information was handed out";
    DenyExplained => "Avslått — ingen opplysninger ble utlevert", "Denied — no information was handed out";
    NotApplicableExplained => "Ingen regel gjaldt — ingen opplysninger ble utlevert", "No rule applied — no information was handed out";
    IndeterminateExplained => "Kunne ikke avgjøres — ingen opplysninger ble utlevert", "Could not be decided — no information was handed out";
    AccessHeading => "Hvem har sett opplysningene dine", "Who has looked at your information";
    AccessCaption => "Oppslag i opplysningene dine, nyeste først", "Look-ups of your information, newest first";
    Who => "Hvem", "Who";
    Resource => "Hva", "What";
    Action => "Handling", "Action";
    Purpose => "Formål", "Purpose";
    ReadsHeading => "Hvem har sett historikken din", "Who has seen your history";
    ReadsIntro => "Når en tjeneste eller et tilsyn leser innloggingene eller oppslagene dine, blir det et oppslag i historikken din. De siste vises her; alle står også i tabellen over.",
                  "When a service or an auditor reads your logins or look-ups, that becomes a look-up in your history. The latest are shown here; all of them are also in the table above.";
    ReadsCaption => "Lesinger av historikken din, nyeste først", "Reads of your history, newest first";
    ReadWhich => "Hva ble lest", "What was read";
    ReadGrounds => "På hvilket grunnlag", "On what grounds";
    ReadLogins => "Innloggingene dine", "Your logins";
    ReadAccess => "Oppslagene i opplysningene dine", "The look-ups of your information";
    GroundsInnsyn => "Med din innlogging (du eller en tjeneste på dine vegne)", "With your login (you, or a service on your behalf)";
    GroundsAudit => "Tilsyn eller revisjon", "Supervision or audit";
    NoReads => "Ingen har lest historikken din.", "Nobody has read your history.";
    Newer => "Nyere", "Newer";
    Older => "Eldre", "Older";
    PageWord => "Side", "Page";
    DownloadHeading => "Last ned historikken din", "Download your history";
    DownloadIntro => "Du har rett til en kopi av opplysningene om deg (personvernforordningen artikkel 15 og 20). Filene inneholder hele historikken, uavhengig av avgrensningen over.",
                     "You have the right to a copy of the information about you (GDPR articles 15 and 20). The files hold your whole history, regardless of the filters above.";
    DownloadLoginsCsv => "Innlogginger (CSV)", "Logins (CSV)";
    DownloadAccessCsv => "Oppslag (CSV)", "Look-ups (CSV)";
    DownloadJson => "Alt (JSON)", "Everything (JSON)";
    Permit => "Tillatt", "Permitted";
    Deny => "Avslått", "Denied";
    NotApplicable => "Ingen regel gjaldt", "No rule applied";
    Indeterminate => "Uavklart", "Undetermined";
    ErrorTitle => "Noe gikk galt", "Something went wrong";
    Unavailable => "Historikken er midlertidig utilgjengelig. Prøv igjen om litt.", "The history is temporarily unavailable. Please try again shortly.";
    NotFound => "Siden finnes ikke.", "The page does not exist.";
    BackToStart => "Tilbake til forsiden", "Back to the start page";
    Unknown => "Ukjent", "Unknown";
    Footer => "Tidspunkter vises i tidssonen", "Times are shown in the time zone";
    ColTime => "Tidspunkt", "Time";
    ColService => "Tjeneste", "Service";
    ColClient => "Klient-ID", "Client ID";
    ColOrgno => "Organisasjonsnummer", "Organisation number";
    ColEid => "eID", "eID";
    ColMethod => "Metode", "Method";
    ColMarks => "Merknad", "Note";
    ColId => "ID", "ID";
    ColApplication => "Applikasjon", "Application";
    ColResource => "Ressurs", "Resource";
    ColResourceUrn => "Ressurs-URN", "Resource URN";
    ColAction => "Handling", "Action";
    ColPurpose => "Formål", "Purpose";
    ColDecision => "Utfall", "Decision";
    DontRecognise => "Kjenner du ikke igjen denne?", "Don't recognise this?";
    WhatToDo => "Dette bør du gjøre", "What you should do";
    StepsBankId => "Innloggingen brukte BankID. Kontakt banken din med en gang og be dem sperre BankID-en, og bytt passordet ditt.", "The login used BankID. Contact your bank at once, ask them to block your BankID, and change your password.";
    StepsMinId => "Innloggingen brukte MinID. Gå til MinID-sidene til Digitaliseringsdirektoratet (minid.no), bytt passord og bestill nye PIN-koder, eller sperr MinID-en.", "The login used MinID. Go to the Norwegian Digitalisation Agency's MinID pages (minid.no), change your password and order new PIN codes, or block your MinID.";
    StepsBuypass => "Innloggingen brukte Buypass ID. Kontakt Buypass kundeservice og sperr ID-en din.", "The login used Buypass ID. Contact Buypass customer service and block your ID.";
    StepsCommfides => "Innloggingen brukte Commfides. Kontakt Commfides og sperr e-ID-en din.", "The login used Commfides. Contact Commfides and block your eID.";
    StepsEidas => "Innloggingen brukte en eID fra et annet europeisk land (eIDAS). Kontakt den som utstedte eID-en i det landet og be dem sperre den.", "The login used an eID from another European country (eIDAS). Contact the issuer of the eID in that country and ask them to block it.";
    StepsOtherEid => "Kontakt den som utstedte eID-en du bruker, og be dem sperre den. Bytt passord og koder.", "Contact the issuer of the eID you use and ask them to block it. Change your password and codes.";
    StepsLookup => "Et oppslag i opplysningene dine må ha et formål. Meld fra til organisasjonen som gjorde oppslaget, så må de svare deg på hvorfor det ble gjort.", "A look-up in your data must have a purpose. Report it to the organisation that made it, and they must answer you why it was made.";
    ReportHeading => "Meld fra", "Report it";
    ReportIntro => "Saken går til organisasjonen som har ansvaret. De ser tidspunktet og hva som skjedde, ikke fødselsnummeret ditt.", "The case goes to the organisation responsible. They see the time and what happened, not your national identity number.";
    ReportMessage => "Melding (valgfritt, høyst 1000 tegn, ren tekst)", "Message (optional, at most 1,000 characters, plain text)";
    ReportTo => "Meld fra til", "Report to";
    Unroutable => "Vi vet ikke hvilken organisasjon som har ansvaret for denne, så vi kan ikke sende en sak.", "We do not know which organisation is responsible for this, so we cannot send a case.";
    MessageRefused => "Meldingen ble ikke sendt: den kan ha høyst 1000 tegn og må være ren tekst uten HTML.", "The message was not sent: it may have at most 1,000 characters and must be plain text without HTML.";
    ItWasMeHeading => "Var det likevel deg?", "Was it you after all?";
    ItWasMe => "Dette var meg", "This was me";
    ConfirmedRow => "Du har sagt at dette var deg.", "You said this was you.";
    CasesLink => "Dine saker", "Your cases";
    CasesHeading => "Dine saker", "Your cases";
    CaseSent => "Saken er sendt. Saksnummer:", "The case has been sent. Case number:";
    CaseExisted => "Du har allerede meldt fra om dette. Saksnummer:", "You have already reported this. Case number:";
    NoCases => "Du har ikke meldt fra om noe.", "You have not reported anything.";
    CaseWord => "Sak", "Case";
    CaseOpen => "Sendt – venter på svar", "Sent – awaiting an answer";
    CaseAnswered => "Besvart", "Answered";
    CaseClosed => "Avsluttet", "Closed";
    Opened => "Sendt", "Sent";
    YourMessage => "Din melding", "Your message";
    TheirAnswer => "Svar fra organisasjonen", "The organisation's answer";
    FormExpired => "Skjemaet var utløpt. Gå tilbake og prøv igjen.", "The form had expired. Go back and try again.";
}

/// The citizen-facing word for an XACML decision.
pub(crate) fn decision_text(d: Decision) -> T {
    match d {
        Decision::Permit => T::Permit,
        Decision::Deny => T::Deny,
        Decision::NotApplicable => T::NotApplicable,
        Decision::Indeterminate => T::Indeterminate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages() {
        for t in T::ALL {
            let nb = t.get(Lang::Nb);
            let en = t.get(Lang::En);
            assert!(!nb.trim().is_empty(), "{t:?} has no bokmål text");
            assert!(!en.trim().is_empty(), "{t:?} has no English text");
        }
        // The switch link names the other language in that language.
        assert_eq!(T::SwitchLanguage.get(Lang::Nb), "English");
        assert_eq!(T::SwitchLanguage.get(Lang::En), "Norsk");
    }

    #[test]
    fn bokmal_texts_are_not_english() {
        let same: Vec<_> = T::ALL
            .iter()
            .filter(|t| t.get(Lang::Nb) == t.get(Lang::En))
            .collect();
        // Names that are the same word in both languages.
        assert_eq!(
            same,
            [&T::SiteName, &T::Via, &T::ColEid, &T::ColId],
            "untranslated texts"
        );
    }

    #[test]
    fn languages_parse() {
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("nb"), Some(Lang::Nb));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::default(), Lang::Nb);
        assert_eq!(Lang::Nb.other(), Lang::En);
    }

    #[test]
    fn every_decision_has_words() {
        for d in Decision::ALL {
            assert!(!decision_text(d).get(Lang::En).is_empty());
        }
    }
}
