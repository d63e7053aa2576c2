"""Word lists for pseudonymisation (data, not logic), and the user's name lists.

* `NATIONAL_BODIES`: national schemes, bodies and networks that identify no one
  and that the analysis needs (kept by default, with the providers of the
  bundled codebook and the speaker role labels);
* `TITLES`: civil titles that announce a person's name (M., Mme, Ms, Dr...);
* `ROLE_WORDS`: job titles and speaker roles, which a speaker label may hold
  next to a name ("Conseillère Garnier") and which are never names;
* `STOP_WORDS`: words that are capitalised at the start of a sentence or by
  convention (greetings, discourse markers, months, days, languages) and that
  the French model sometimes tags as entities;
* `ORG_LEADS`, `ORG_SUFFIXES`, `ORG_HEADS`, `PLACE_HINTS`: what makes a
  capitalised sequence an organisation or a place.

Every list is compared folded (lower case, no accents, `’` as `'`).
"""

from __future__ import annotations

from pathlib import Path

from qualcode.base.text import fold
from qualcode.errors import Errors

#: pseudonym categories, in numbering and listing order
CATEGORIES = ("PERSON", "PLACE", "ORG")
_CATEGORY_ALIASES = {
    "PERSON": "PERSON", "PER": "PERSON", "PERSONNE": "PERSON",
    "PLACE": "PLACE", "LOC": "PLACE", "LIEU": "PLACE", "GPE": "PLACE",
    "ORG": "ORG", "ORGANISATION": "ORG", "ORGANIZATION": "ORG",
}


def _words(block: str) -> frozenset[str]:
    return frozenset(fold(w) for w in block.split())


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


#: national bodies, schemes and networks (one per line): never replaced
NATIONAL_BODIES = _lines("""
France Travail
Pôle emploi
Pôle-emploi
ANPE
Assédic
Unédic
APEC
Association pour l'emploi des cadres
Cap emploi
Sameth
Agefiph
Fiphfp
Transitions Pro
Transition Pro
Fongecif
Opacif
OPCA
OPCO
mission locale
missions locales
I-Milo
Région
Régions
Conseil régional
conseil régional
Département
Conseil départemental
Métropole
Agglomération
Agglo
Communauté de communes
Communauté d'agglomération
Intercommunalité
Technopôle
État
Etat
CARIF-OREF
CARIF
OREF
France compétences
France Services
Maison France Services
Céreq
Cereq
SPRO
service public régional de l'orientation
service public de l'emploi
CIO
Onisep
CCI
chambre de commerce et d'industrie
CMA
chambre de métiers et de l'artisanat
chambre d'agriculture
Afpa
AFPA
GRETA
CNAM
Éducation nationale
CAF
CPAM
MSA
Carsat
Urssaf
MDPH
CCAS
PLIE
Maison de l'emploi
Cité des métiers
DREETS
DIRECCTE
DDETS
ministère du Travail
Sécurité sociale
Contrat d'engagement jeune
Garantie jeunes
Covid
Covid-19
COVID
Internet
Google
LinkedIn
Indeed
Facebook
Zoom
Teams
Europe
Union européenne
France
""")

#: products, tools, certificates and platforms a career adviser names (one per line): never a person
PRODUCTS = _lines("""
Emploi Store
Certiphyto
CACES
Parcoursup
Mon Compte Formation
MonCompteFormation
Pix
Diagoriente
Inserjeunes
Kairos
Ouiform
Moodle
WhatsApp
Outlook
Excel
Word
Powerpoint
Skype
Leboncoin
Welcome to the Jungle
Monster
""")

#: countries' people (folded stems, masculine singular): with their feminine and plural forms
#: ("Bulgares", "Marocaines", "Italiennes") never a place nor a person
_DEMONYM_STEMS = """
allemand anglais americain algerien marocain tunisien bulgare roumain polonais portugais espagnol
italien turc russe ukrainien chinois japonais syrien afghan senegalais malien ivoirien camerounais
congolais comorien haitien belge suisse britannique irlandais ecossais neerlandais hollandais grec
serbe albanais kosovar georgien armenien tchetchene erythreen soudanais somalien ethiopien egyptien
libanais iranien irakien pakistanais indien bangladais vietnamien cambodgien laotien thailandais
philippin bresilien colombien venezuelien peruvien mexicain cubain canadien quebecois europeen
africain maghrebin asiatique guineen mauritanien nigerian ghaneen tchadien gabonais capverdien
moldave lituanien letton estonien hongrois tcheque slovaque croate slovene bosniaque autrichien
danois suedois norvegien finlandais islandais luxembourgeois maltais chypriote israelien
palestinien jordanien saoudien yemenite kurde ouzbek kazakh mongol coreen taiwanais indonesien
malaisien australien latino gitan rom tzigane francais antillais reunionnais guadeloupeen
martiniquais guyanais mahorais corse breton alsacien basque
german british english irish scottish welsh american polish romanian bulgarian moroccan algerian
tunisian portuguese spanish italian turkish russian ukrainian chinese japanese syrian afghan indian
pakistani lithuanian latvian eritrean somali sudanese nigerian ghanaian french dutch belgian swiss
greek albanian serbian croatian hungarian czech slovak kurdish iranian iraqi egyptian brazilian
mexican canadian european african asian arab
"""


def _demonym_forms(stems: str) -> frozenset[str]:
    forms: set[str] = set()
    for stem in stems.split():
        forms.update({stem, stem + "s"})
        if stem.endswith("e"):
            continue
        forms.update({stem + "e", stem + "es"})
        if stem.endswith(("ien", "een")):
            forms.update({stem + "ne", stem + "nes"})
        if stem.endswith("an"):
            forms.update({stem[:-2] + "ane", stem[:-2] + "anes"})
    return frozenset(forms)


DEMONYMS = _demonym_forms(_DEMONYM_STEMS)

#: first names that are also common words ("Pierre", stone; "Rose", "Marc", "Olive"): a
#: sentence-initial one is a name when the model takes it for a person
COMMON_FIRST_NAMES = _words("""
pierre rose marc martin claire olive jade ambre celeste constance blanche marguerite violette
victoire prudence aime france fleur capucine iris hortense perle ange margot colombe gaspard
leon louis paul jean jeanne julien lucie mathieu vincent victor laurent florence grace hope
faith joy mark bill will rob bob sue pat frank grant dean
""")

#: stand-ins for a name ("Monsieur Untel", "madame Michu"): no one in particular
PLACEHOLDERS = _words("""
untel untelle unetelle tartempion lambda michu machin machine truc bidule
""")


#: civil titles that announce a name, with and without their dot
TITLES = _words("""
m m. mr mr. mme mme. mmes mlle mlle. monsieur madame mademoiselle messieurs mesdames
ms ms. mrs mrs. miss dr dr. docteur doctor pr pr. prof prof. professeur professor
maitre maître sir dame lady lord
""")

#: speaker roles and job titles (fold of each word): a label made of these names no one
ROLE_WORDS = _words("""
conseiller conseillère conseillers conseillères conseil animateur animatrice animateurs
coordinateur coordinatrice coordonnateur coordonnatrice chargé chargée chargés chargées
mission directeur directrice direction responsable responsables chef cheffe adjoint adjointe
assistant assistante assistants sociale social formateur formatrice psychologue
consultant consultante consultants référent référente accompagnateur accompagnatrice
accompagnement orientation insertion emploi agent agente délégué déléguée gestionnaire
secrétaire accueil hôtesse stagiaire bénéficiaire usager usagère demandeur demandeuse
salarié salariée employé employée employeur employeuse jeune client cliente candidat
candidate interlocuteur interlocutrice élu élue élus maire président présidente
vice-président vice-présidente technicien technicienne ingénieur ingénieure cadre
dirigeant dirigeante gérant gérante patron patronne artisan infirmier infirmière
médecin éducateur éducatrice éducateurs travailleur travailleuse enseignant enseignante
professeure proviseur principal juriste comptable commercial commerciale recruteur
recruteuse administrateur administratrice opérateur opératrice bénévole collègue
intervenant intervenante intervenants interprète traducteur traductrice observateur
observatrice modérateur modératrice enquêteur enquêtrice enquêteurs enquêté enquêtée
chercheur chercheuse chercheurs doctorant doctorante étudiant étudiante répondant
répondante interviewé interviewée intervieweur intervieweuse participant participante
locuteur locutrice orateur oratrice évolution professionnelle professionnel
homme femme mère père parent
interviewer interviewee respondent participant speaker moderator facilitator adviser
advisor advisers advisors counsellor counselor consultant coordinator manager director
officer head worker employer employee staff member trainer teacher nurse researcher
student volunteer customer user caseworker mentor coach chair chairman chairwoman
mayor councillor deputy secretary administrator representative spokesperson owner
founder career careers guidance job youth senior junior lead team agency
q r a p e i int voice voix
""")

#: words capitalised by position or convention that are not names
STOP_WORDS = _words("""
bonjour bonsoir salut allô allo merci pardon excusez oui non ouais ok okay d'accord voilà voila
alors donc enfin bref ben bah bon ah oh eh euh heu hum hein mmh mhm ouh waouh bravo
allez tiens écoutez ecoute écoute voyez regardez disons honnêtement franchement forcément
effectivement exactement absolument évidemment clairement vraiment justement surtout
super génial énorme pareil certes sinon ensuite puis après avant aujourd'hui maintenant
déjà peut-être voici bien très tout tous toute toutes aussi comme mais et ou ni car or
je tu il elle on nous vous ils elles moi toi lui eux ça ca cela ceci c'est ce cette ces
le la les l' un une des du de au aux en dans sur sous pour par avec sans chez vers
mon ma mes ton ta tes son sa ses notre votre leur leurs qui que quoi quand comment
pourquoi où ou combien si faut pouvez pouvons peux voulez savez
janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre
décembre lundi mardi mercredi jeudi vendredi samedi dimanche noël pâques toussaint
français française anglais anglaise européen européenne
hello hi hey thanks thank yes no yeah yep well so okay um uh er erm hmm right sure
actually honestly basically anyway sorry please great good fine absolutely exactly
really obviously i i'm i've i'd i'll we you he she they it this that these those there
here the a an and but or if then when what who why how where mr ms mrs
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays
thursdays fridays saturdays sundays christmas easter english french british european
german spanish italian polish portuguese romanian ukrainian russian turkish moroccan
algerian tunisian african asian arab arabic dutch belgian swiss
in at from to on with for of by near into over under after before since until about as
""")

#: lower-case words that join the capitalised words of one name ("Saint-Aubin-de-Vaux")
PARTICLES = _words("""
de du des d' la le les l' en sur sous lès von van der den da di dos del y of upon on
""")

#: words that introduce an organisation's name ("l'entreprise Ferrand Logistique")
ORG_LEADS = _words("""
entreprise entreprises société sté groupe association cabinet scierie usine laiterie
fromagerie garage boulangerie hôtel restaurant établissements ets magasin supermarché
coopérative atelier fondation clinique agence enseigne firme company firm
""")

#: a final word that makes a capitalised sequence a company ("Harwell Ltd", "Ferrand SARL")
ORG_SUFFIXES = ("SA", "SARL", "SAS", "SASU", "EURL", "SCOP", "SCIC", "SNC", "GIE", "Ltd", "Ltd.",
                "Limited", "PLC", "plc", "LLP", "LLC", "Inc", "Inc.", "Co", "Co.", "GmbH",
                "Company", "Association", "Trust", "Group", "Groupe", "Holdings", "Logistique",
                "Logistics", "Industries", "Industrie", "Foundation", "Fondation", "Partners",
                "Consulting", "Services", "Transports", "Formation", "Interim", "Intérim")
#: legal forms: the name without them is the same organisation ("Harwell" for "Harwell Ltd")
LEGAL_FORMS = _words("sa sarl sas sasu eurl scop scic snc gie ltd limited plc llp llc inc co gmbh")
#: a word that makes a name an organisation wherever it stands in it
ORG_HEADS = _words("""
logistique logistics industries industrie transports services ltd limited plc llc inc
sarl sas sasu eurl scop association company group groupe holdings foundation fondation
partners consulting métropole agglomération agglo communauté lycée collège école
université institut hôpital clinique ehpad foyer centre center council school college
university hospital trust
""")
#: first words (or inner pieces) that make a name a place
PLACE_HINTS = _words("""
saint sainte st ste val pays mont pont port bourg haute haut hauts hautes basse bas
nord sud est ouest plateau vallée plaine côte lac
""")


def category(value: str | None) -> str | None:
    """PERSON, PLACE or ORG from a user's spelling (also PER, LOC, ORGANISATION), or None."""
    if value is None or not value.strip():
        return None
    return _CATEGORY_ALIASES.get(value.strip().upper())


def _read_lines(path: str | Path) -> list[tuple[int, str]]:
    from qualcode.corpus.decode import decode, read_bytes
    from qualcode.errors import AnonymiseError

    path = Path(path)
    if not path.is_file():
        raise AnonymiseError(Errors.E703.format(reason="no such file"), path=path)
    try:
        text = decode(read_bytes(path, str(path), advice="a name list is one name per line: is this the right file?"),
                      str(path)).text
    except Exception as exc:  # CorpusError (binary, too large) or OSError
        reason = getattr(exc, "message", None) or str(exc)
        raise AnonymiseError(Errors.E703.format(reason=reason), path=path) from None
    found = []
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            found.append((n, line))
    return found


def read_keep_list(path: str | Path) -> list[str]:
    """Names never to replace: one per line; blank lines and `#` comments are ignored."""
    return [" ".join(line.split()) for _, line in _read_lines(path)]


def read_replace_list(path: str | Path) -> list[tuple[str, str | None]]:
    """Names always to replace: `name` or `name<TAB>PERSON|PLACE|ORG` per line.

    Raises:
        AnonymiseError: E703 when the file cannot be read, E704 for an unknown category.
    """
    from qualcode.errors import AnonymiseError

    entries = []
    for n, line in _read_lines(path):
        name, _, cat = line.partition("\t")
        found = category(cat) if cat.strip() else None
        if cat.strip() and found is None:
            raise AnonymiseError(Errors.E704.format(category=cat.strip()), path=path, line=n)
        if name.strip():
            entries.append((" ".join(name.split()), found))
    return entries
