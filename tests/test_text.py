"""Sentence splitting (statements.text.sentence_spans, sentences): pure functions, no database."""

from __future__ import annotations

import pytest

from statements.text import QUOTE_BOUND, match_stem, sentence_spans, sentences, stem, token_spans

from .conftest import SEEDS

NBSP = "\u00a0"
NNBSP = "\u202f"


def assert_partition(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are in order, apart, trimmed, and hold every word of `text` exactly once."""
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end
    words = token_spans(text)
    span = 0
    for start, end in words:
        while span < len(spans) and spans[span][1] < end:
            span += 1
        assert span < len(spans), f"word at {start} is in no sentence"
        assert spans[span][0] <= start, f"word at {start} is cut by a sentence boundary"


def split(text: str, language: str = "fr") -> list[str]:
    spans = sentence_spans(text, language)
    assert_partition(text, spans)
    return [text[start:end] for start, end in spans]


# Ordinary boundaries


def test_a_paragraph_without_final_punctuation_is_one_sentence():
    text = "La décision sur l'adhésion de l'Ukraine à l'OTAN nécessite un consensus des alliés"
    assert split(text) == [text]


def test_an_empty_or_blank_text_has_no_sentences():
    assert sentence_spans("") == []
    assert sentence_spans(f"  \n\n {NBSP}\t") == []


def test_a_full_stop_before_a_capital_ends_a_sentence():
    text = (
        "Les alliés de l'OTAN ne reconnaîtront pas leur annexion illégale et illégitime. "
        "Ces terres sont l'Ukraine. Nous appelons tous les États à rejeter les tentatives "
        "flagrantes de conquête territoriale de la Russie."
    )
    assert split(text) == [
        "Les alliés de l'OTAN ne reconnaîtront pas leur annexion illégale et illégitime.",
        "Ces terres sont l'Ukraine.",
        "Nous appelons tous les États à rejeter les tentatives flagrantes de conquête "
        "territoriale de la Russie.",
    ]


def test_spans_are_offsets_into_the_text_itself_trimmed_of_whitespace():
    text = f"  {NBSP}Ces terres sont l'Ukraine.   La Russie doit se retirer.\n "
    spans = sentence_spans(text)
    assert spans == [(3, 29), (32, 58)]
    assert [text[a:b] for a, b in spans] == sentences(text)
    assert sentences(text) == ["Ces terres sont l'Ukraine.", "La Russie doit se retirer."]


def test_question_and_exclamation_marks_end_sentences_after_french_spacing():
    text = (
        f"Il y a des lâches qui s'enfuient. Bon débarras{NNBSP}! Mais vos médias ne vous "
        f"montrent pas nos réservistes{NBSP}? Oui, c'est exact."
    )
    assert split(text) == [
        "Il y a des lâches qui s'enfuient.",
        f"Bon débarras{NNBSP}!",
        f"Mais vos médias ne vous montrent pas nos réservistes{NBSP}?",
        "Oui, c'est exact.",
    ]


def test_combined_question_and_exclamation_marks_end_one_sentence():
    text = "Who benefits from this war?! The Alliance does not. Really?!? Yes."
    assert split(text, "en") == [
        "Who benefits from this war?!",
        "The Alliance does not.",
        "Really?!?",
        "Yes.",
    ]


def test_a_stop_before_a_lower_case_word_does_not_end_a_sentence():
    # Seed 002 (a machine translation) runs on after a stray full stop: we do not guess.
    text = (
        "La guerre de la Russie contre l'Ukraine a brisé la paix en Europe et provoque "
        "d'énormes dégâts humains. la souffrance et la destruction."
    )
    assert split(text) == [text]


def test_a_stop_before_a_digit_ends_a_sentence():
    text = "Les protocoles ont été signés en 2014. 30 pays ont condamné l'agression."
    assert split(text) == [
        "Les protocoles ont été signés en 2014.",
        "30 pays ont condamné l'agression.",
    ]


def test_a_stop_before_an_opening_quotation_mark_or_parenthesis_ends_a_sentence():
    text = (
        "Stoltenberg a pris la parole. « Ces terres sont l'Ukraine », a-t-il dit. "
        "(Voir la déclaration du 30 septembre.) “Never”, he added."
    )
    assert split(text) == [
        "Stoltenberg a pris la parole.",
        "« Ces terres sont l'Ukraine », a-t-il dit.",
        "(Voir la déclaration du 30 septembre.)",
        "“Never”, he added.",
    ]


def test_a_blank_line_ends_a_sentence_and_a_single_line_break_does_not():
    text = (
        "Sommet extraordinaire de l'OTAN - Bruxelles, 24 mars 2022\n\n"
        "Nous condamnons l'invasion de l'Ukraine par la Russie dans les termes\n"
        "les plus forts possibles."
    )
    assert split(text) == [
        "Sommet extraordinaire de l'OTAN - Bruxelles, 24 mars 2022",
        "Nous condamnons l'invasion de l'Ukraine par la Russie dans les termes\n"
        "les plus forts possibles.",
    ]


# Abbreviations, initials, numbers


def test_french_titles_do_not_end_a_sentence():
    text = (
        "M. Poutine a également déclaré que la Russie ne vivrait pas selon les règles de "
        "l'Occident. Mme Baerbock, Mlle Durand et MM. Macron et Scholz ont réagi."
    )
    assert split(text) == [
        "M. Poutine a également déclaré que la Russie ne vivrait pas selon les règles de "
        "l'Occident.",
        "Mme Baerbock, Mlle Durand et MM. Macron et Scholz ont réagi.",
    ]


def test_english_titles_and_ranks_do_not_end_a_sentence():
    text = (
        "Mr. Stoltenberg met Mrs. Clinton, Ms. Rice and Dr. Kissinger. Prof. Snyder briefed "
        "Gen. Milley, Lt. Col. Vindman and Sgt. Jones in St. Petersburg. They left."
    )
    assert split(text, "en") == [
        "Mr. Stoltenberg met Mrs. Clinton, Ms. Rice and Dr. Kissinger.",
        "Prof. Snyder briefed Gen. Milley, Lt. Col. Vindman and Sgt. Jones in St. Petersburg.",
        "They left.",
    ]


def test_latin_and_reference_abbreviations_do_not_end_a_sentence():
    text = (
        "Allies deliver air defence, i.e. Patriot and NASAMS systems, and other aid, e.g. "
        "Leopard tanks, ammunition, etc. This is NATO vs. Russia, cf. Medvedev, Karaganov et "
        "al. Moscow says."
    )
    assert split(text, "en") == [
        "Allies deliver air defence, i.e. Patriot and NASAMS systems, and other aid, e.g. "
        "Leopard tanks, ammunition, etc. This is NATO vs. Russia, cf. Medvedev, Karaganov et "
        "al. Moscow says."
    ]


def test_company_and_name_suffixes_do_not_end_a_sentence():
    text = (
        "Lockheed Martin Inc. Chairman James Taiclet and Martin Luther King Jr. Day were "
        "mentioned, as was Rheinmetall Ltd. The BAE Systems Co. Board met."
    )
    assert split(text, "en") == [
        "Lockheed Martin Inc. Chairman James Taiclet and Martin Luther King Jr. Day were "
        "mentioned, as was Rheinmetall Ltd. The BAE Systems Co. Board met."
    ]


def test_month_abbreviations_do_not_end_a_sentence():
    french = (
        "Publié le 1er sept. 2022 et mis à jour le 3 oct. Vers midi, puis le 2 déc. 2022, "
        "le 5 janv. 2023 et le 24 févr. 2023. Fin."
    )
    assert split(french) == [
        "Publié le 1er sept. 2022 et mis à jour le 3 oct. Vers midi, puis le 2 déc. 2022, "
        "le 5 janv. 2023 et le 24 févr. 2023.",
        "Fin.",
    ]
    # Seed 004, a French NATO page, prints English month abbreviations.
    dateline = "• 28 Feb. 2022 - Mis à jour le: 28 Feb. 2022 21:24"
    assert split(dateline) == [dateline]
    english = "Signed on Sept. 30. Reviewed on Jan. 5, Aug. 24 and Dec. 1. Done."
    assert split(english, "en") == [
        "Signed on Sept. 30.",
        "Reviewed on Jan. 5, Aug. 24 and Dec. 1.",
        "Done.",
    ]


def test_reference_abbreviations_before_a_number_do_not_end_a_sentence():
    text = (
        "Selon l'art. 5 du Traité de Washington (p. 12, al. 2), une attaque contre un Allié est "
        "une attaque contre tous. La résolution n° 2623 et le No. 3 du rapport le rappellent."
    )
    assert split(text) == [
        "Selon l'art. 5 du Traité de Washington (p. 12, al. 2), une attaque contre un Allié "
        "est une attaque contre tous.",
        "La résolution n° 2623 et le No. 3 du rapport le rappellent.",
    ]


def test_a_word_that_abbreviates_only_before_a_number_ends_a_sentence_elsewhere():
    assert split("Cette exposition est une œuvre d'art. Les Alliés l'ont visitée.") == [
        "Cette exposition est une œuvre d'art.",
        "Les Alliés l'ont visitée.",
    ]
    assert split("The answer was no. Then the talks ended.", "en") == [
        "The answer was no.",
        "Then the talks ended.",
    ]


def test_a_capitalised_abbreviation_opening_a_sentence_does_not_end_it():
    text = "Cf. Article 5 of the Washington Treaty. Art. 4 consultations followed."
    assert split(text, "en") == [
        "Cf. Article 5 of the Washington Treaty.",
        "Art. 4 consultations followed.",
    ]


def test_the_language_picks_abbreviations_that_are_words_in_the_other():
    french = "Les troupes se sont déplacées vers l'est. Les Alliés surveillent la frontière."
    assert split(french, "fr") == [
        "Les troupes se sont déplacées vers l'est.",
        "Les Alliés surveillent la frontière.",
    ]
    english = "The Atlantic Council (est. 1961) and the Alliance Foundation, est. Jan. 2020."
    assert split(english, "en") == [english]
    assert split("A partner, e.g. the EU, agreed, p. ex. Bruxelles.", "fr") == [
        "A partner, e.g. the EU, agreed, p. ex. Bruxelles."
    ]


def test_dotted_acronyms_do_not_end_a_sentence():
    text = (
        "The U.S. Secretary of State and the U.N. Secretary-General spoke. Le R.-U. Et la "
        "France ont réagi."
    )
    assert split(text, "en") == [
        "The U.S. Secretary of State and the U.N. Secretary-General spoke.",
        "Le R.-U. Et la France ont réagi.",
    ]


def test_initials_do_not_end_a_sentence():
    text = (
        "Le secrétaire général J. Stoltenberg a rencontré Jens S. Stoltenberg, son homonyme. "
        "V. V. Poutine a signé les traités."
    )
    assert split(text) == [
        "Le secrétaire général J. Stoltenberg a rencontré Jens S. Stoltenberg, son homonyme.",
        "V. V. Poutine a signé les traités.",
    ]


def test_dates_decimals_and_section_numbers_do_not_end_a_sentence():
    text = (
        "Publié le 30.9.2022, après l'invasion du 24.02.2022 : 1.5 million de réfugiés, "
        "3.000 soldats et le § 3.2 du communiqué. Fin du communiqué."
    )
    assert split(text) == [
        "Publié le 30.9.2022, après l'invasion du 24.02.2022 : 1.5 million de réfugiés, "
        "3.000 soldats et le § 3.2 du communiqué.",
        "Fin du communiqué.",
    ]


def test_a_list_number_at_the_start_of_a_paragraph_stays_with_its_sentence():
    text = (
        "1. Nous condamnons dans les termes les plus fermes le projet d'organiser des "
        "soi-disant « référendums ». Comme l'a réaffirmé l'Assemblée générale de l'ONU, "
        "aucune acquisition territoriale ne sera reconnue comme légale."
    )
    assert split(text) == [
        "1. Nous condamnons dans les termes les plus fermes le projet d'organiser des "
        "soi-disant « référendums ».",
        "Comme l'a réaffirmé l'Assemblée générale de l'ONU, aucune acquisition territoriale "
        "ne sera reconnue comme légale.",
    ]
    assert split("Titre\n\nIV. Les Alliés restent unis.") == [
        "Titre",
        "IV. Les Alliés restent unis.",
    ]


def test_urls_and_email_addresses_do_not_end_a_sentence():
    text = (
        "Le texte est sur www.nato.int/cps/fr/natohq/news_207788.htm?selectedLocale=fr et "
        "nato.int, écrivez à press@hq.nato.int pour en savoir plus. Voir aussi nato.int. "
        "La presse est informée."
    )
    assert split(text) == [
        "Le texte est sur www.nato.int/cps/fr/natohq/news_207788.htm?selectedLocale=fr et "
        "nato.int, écrivez à press@hq.nato.int pour en savoir plus.",
        "Voir aussi nato.int.",
        "La presse est informée.",
    ]


# Ellipses


def test_an_ellipsis_before_a_lower_case_word_does_not_end_a_sentence():
    text = "Il a dit… que l'OTAN n'était pas partie au conflit. Il a dit... que rien ne changerait."
    assert split(text) == [
        "Il a dit… que l'OTAN n'était pas partie au conflit.",
        "Il a dit... que rien ne changerait.",
    ]


def test_an_ellipsis_before_a_capital_ends_a_sentence():
    text = (
        "Même le nouveau premier ministre italien Meloni s'est fendue d'un tweet de soutien "
        "énamouré à Zelensky… Et ceci nous encourage justement à frapper fort."
    )
    assert split(text) == [
        "Même le nouveau premier ministre italien Meloni s'est fendue d'un tweet de soutien "
        "énamouré à Zelensky…",
        "Et ceci nous encourage justement à frapper fort.",
    ]


def test_an_elision_in_brackets_does_not_end_a_sentence():
    text = "« Nous ne reconnaîtrons jamais […] Les nouvelles régions », a-t-il dit (...) Voilà."
    assert split(text) == [text]


# Quotations


def test_a_quotation_with_its_own_full_stops_stays_with_its_reporting_clause():
    text = (
        f"«{NBSP}Nous ne reconnaîtrons jamais. Jamais.{NBSP}», a dit Stoltenberg. "
        "Les Alliés sont unis."
    )
    assert split(text) == [
        f"«{NBSP}Nous ne reconnaîtrons jamais. Jamais.{NBSP}», a dit Stoltenberg.",
        "Les Alliés sont unis.",
    ]


def test_curly_quotes_keep_their_quotation_whole():
    text = (
        "“We will never recognise it. Never. These lands are Ukraine,” said Stoltenberg. "
        "The Allies agreed."
    )
    assert split(text, "en") == [
        "“We will never recognise it. Never. These lands are Ukraine,” said Stoltenberg.",
        "The Allies agreed.",
    ]


def test_straight_quotes_keep_their_quotation_whole():
    text = (
        'He called the vote "a sham. A farce. Nothing more…" and left. '
        'Lavrov replied: " The people have spoken. " Nobody believed him.'
    )
    assert split(text, "en") == [
        'He called the vote "a sham. A farce. Nothing more…" and left.',
        'Lavrov replied: " The people have spoken. "',
        "Nobody believed him.",
    ]


def test_a_quotation_that_ends_a_sentence_ends_it():
    text = (
        f"Le secrétaire général a conclu\u00a0: «{NBSP}Ces terres sont l'Ukraine.{NBSP}» "
        "Suivant l'usage, la déclaration a été publiée. “It is a sham.” The vote went ahead."
    )
    assert split(text) == [
        f"Le secrétaire général a conclu\u00a0: «{NBSP}Ces terres sont l'Ukraine.{NBSP}»",
        "Suivant l'usage, la déclaration a été publiée.",
        "“It is a sham.”",
        "The vote went ahead.",
    ]


def test_a_question_inside_a_quotation_does_not_end_the_sentence():
    text = (
        "« Qui a provoqué cette guerre\u202f? Qui\u202f? », a demandé Lavrov. Personne n'a répondu."
    )
    assert split(text) == [
        "« Qui a provoqué cette guerre\u202f? Qui\u202f? », a demandé Lavrov.",
        "Personne n'a répondu.",
    ]


def test_a_quotation_inside_a_quotation_is_part_of_it():
    text = (
        "« Il a parlé de “nouvelle normalité. Pour longtemps.” Puis il est parti. », "
        "raconte un diplomate. Rien n'a changé depuis."
    )
    assert split(text) == [
        "« Il a parlé de “nouvelle normalité. Pour longtemps.” Puis il est parti. », "
        "raconte un diplomate.",
        "Rien n'a changé depuis.",
    ]


def test_an_unclosed_quotation_mark_is_ordinary_text_beyond_the_bound():
    sentence = "Les Alliés continueront à soutenir l'Ukraine. "
    count = QUOTE_BOUND // len(sentence) + 3
    text = "Stoltenberg a dit : « " + sentence * count + "Fin », conclut-il."
    assert len(split(text)) == count + 1


def test_an_unclosed_quotation_mark_does_not_reach_past_its_paragraph():
    # Seed 001: the quotation opened with “une nouvelle escalade is never closed.
    text = (
        "Stoltenberg a dit sur Twitter, l'appelant “une nouvelle escalade. La guerre de "
        "Poutine.\n\nLes Républiques populaires organiseront un vote.” Les résultats sont connus."
    )
    assert split(text) == [
        "Stoltenberg a dit sur Twitter, l'appelant “une nouvelle escalade.",
        "La guerre de Poutine.",
        "Les Républiques populaires organiseront un vote.”",
        "Les résultats sont connus.",
    ]


def test_a_stray_closing_quotation_mark_opens_nothing():
    text = (
        'Il a qualifié le scrutin de farce." Les Alliés ont réagi. Moscou a parlé de "vote '
        'libre. Et transparent." Kiev a rejeté ces propos.'
    )
    assert split(text) == [
        'Il a qualifié le scrutin de farce."',
        "Les Alliés ont réagi.",
        'Moscou a parlé de "vote libre. Et transparent."',
        "Kiev a rejeté ces propos.",
    ]


# The seed texts (real, messy French)


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_seed_texts_split_into_sentences_that_hold_every_word(seed):
    text = seed.read_text(encoding="utf-8")
    spans = sentence_spans(text)
    assert_partition(text, spans)
    assert len(spans) >= 15


def test_seed_quotations_keep_their_reporting_clauses():
    text = (SEEDS / "001_62b49142b57b139c.txt").read_text(encoding="utf-8")
    found = sentences(text)
    assert (
        "“Nous ne reconnaîtrons jamais ce territoire comme autre chose qu’une partie de "
        "l’Ukraine”, Sullivan a ajouté."
    ) in found
    assert (
        "« La communauté internationale doit condamner cette violation flagrante du droit "
        "international et renforcer son soutien à l’Ukraine », Stoltenberg a ajouté."
    ) in found


def test_seed_titles_and_numbered_paragraphs_stay_whole():
    blog = sentences((SEEDS / "003_8d8d9cb60f617370.txt").read_text(encoding="utf-8"))
    assert "Publié le 30.9.2022" in blog
    assert (
        "M. Poutine a également déclaré que la Russie ne vivrait pas selon les règles de "
        "l’Occident."
    ) in blog
    assert "Bon débarras\u202f!" in blog
    nato = sentences((SEEDS / "000_4f07bf99839281b6.txt").read_text(encoding="utf-8"))
    numbered = [sentence for sentence in nato if sentence[:1].isdigit()]
    assert [sentence[:3] for sentence in numbered] == ["1. ", "2. ", "3. ", "4. "]


# Worst cases: each must finish (no timing asserted) and give sane spans


def test_two_megabytes_of_lower_case_stops_are_one_sentence():
    text = "a. " * 700_000
    assert sentence_spans(text) == [(0, len(text) - 1)]


def test_two_megabytes_of_capitalised_stops_are_as_many_sentences():
    text = "Fin. " * 400_000
    spans = sentence_spans(text)
    assert len(spans) == 400_000
    assert spans[:2] == [(0, 4), (5, 9)] and spans[-1] == (len(text) - 5, len(text) - 1)


def test_two_megabytes_without_punctuation_are_one_sentence():
    text = "guerre " * 300_000
    assert sentence_spans(text) == [(0, len(text) - 1)]


def test_a_hundred_thousand_unclosed_guillemets_swallow_nothing():
    assert sentence_spans("« " * 100_000) == [(0, 199_999)]
    text = "« Nous condamnons. " * 100_000
    spans = sentence_spans(text)
    assert len(spans) == 100_000
    assert text[slice(*spans[-1])] == "« Nous condamnons."


def test_two_hundred_thousand_titles_in_a_row_are_one_sentence():
    text = "M. " * 200_000 + "Poutine a parlé."
    assert sentence_spans(text) == [(0, len(text))]


# Stems the alignment engine matches on


@pytest.mark.parametrize(
    ("nous_form", "other_form"),
    [
        ("condamnons", "condamné"),
        ("Réaffirmons", "réaffirme"),
        ("exhortons", "exhorté"),
        ("soutenons", "soutenir"),
        ("demandons", "demande"),
    ],
)
def test_a_french_verbs_nous_form_matches_its_other_forms(nous_form, other_form):
    """Declarations say "nous condamnons", their coverage "a condamné": Snowball keeps the
    two apart, the engine's stem joins them."""
    assert stem(nous_form, "fr") != stem(other_form, "fr")
    assert match_stem(nous_form, "fr") == match_stem(other_form, "fr")


@pytest.mark.parametrize("word", ["nations", "régions", "millions", "avions", "allons", "sons"])
def test_nouns_in_ions_and_short_forms_keep_their_stem(word):
    assert match_stem(word, "fr") == stem(word, "fr")


def test_english_and_the_search_index_keep_snowball_stems():
    assert match_stem("lessons", "en") == stem("lessons", "en") == "lesson"
    assert stem("condamnons", "fr") == "condamnon"
