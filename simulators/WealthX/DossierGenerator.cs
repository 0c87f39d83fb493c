using System.Globalization;
using System.Text;
using Tributary.Simulators.Data;
using static Tributary.Simulators.WealthX.DossierVocabulary;

namespace Tributary.Simulators.WealthX;

/// <summary>
/// Makes the synthetic dossier at one index. Every value comes from generators seeded by the data seed, the index
/// and the revision, so any dossier can be made alone, in any order, byte-identical in every process.
/// </summary>
/// <remarks>
/// Identity (name, birth, education, career) depends on the index only; the parts a real update would touch
/// (net worth, wealth breakdown, the latest research note) depend on the revision too, so a revised dossier keeps
/// its person and changes its numbers.
/// </remarks>
public sealed class DossierGenerator(int dataSeed)
{
    /// <summary>Base lastModified dates fall in this range, inclusive.</summary>
    public static readonly DateOnly EarliestLastModified = new(2019, 1, 1);
    public static readonly DateOnly LatestLastModified = new(2025, 6, 30);

    private const ulong IdentityStream = 1;
    private const ulong RevisionStream = 2;
    private const ulong LastModifiedStream = 3;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly ulong _seed = unchecked((ulong)dataSeed);

    /// <summary>The lastModified date of an unrevised dossier; cheap, so date filters can scan every index.</summary>
    public DateOnly BaseLastModified(int index)
    {
        var span = LatestLastModified.DayNumber - EarliestLastModified.DayNumber + 1;
        var hash = DeterministicRandom.Hash(_seed, LastModifiedStream, (ulong)index);
        return EarliestLastModified.AddDays((int)(hash % (ulong)span));
    }

    public Dossier Generate(int index, DossierRevision revision)
    {
        var id = DeterministicRandom.For(_seed, IdentityStream, (ulong)index);
        var update = DeterministicRandom.For(_seed, RevisionStream, (ulong)index, (ulong)revision.Number);

        var country = id.Pick(Countries);
        var female = id.Chance(0.35);
        var firstName = id.Pick(female ? FemaleFirstNames : MaleFirstNames);
        var lastName = id.Pick(LastNames);
        var fullName = $"{firstName} {lastName}";
        var birthYear = id.Next(1940, 1991);
        var industry = id.Pick(Industries);
        var company = $"{id.Pick(CompanyStems)} {industry.CompanyWord} {country.LegalForm}";
        var position = id.Pick(Positions);
        var foundedYear = Math.Min(2015, birthYear + id.Next(25, 45));
        var wealthSource = id.Pick(WealthSources);
        var city = id.Pick(country.Cities);

        var netWorth = NetWorth(id, update, revision.Number);
        var category = netWorth >= 30_000_000 ? "UHNW" : netWorth >= 5_000_000 ? "VHNW" : "HNW";
        var liquidShare = 0.05 + (update.NextDouble() * 0.3);
        var liquidAssets = RoundTo((long)(netWorth * liquidShare), 100_000);

        var pronoun = female ? "She" : "He";
        var possessive = female ? "her" : "his";
        var education = Education(id, birthYear);
        var career = Career(id, birthYear, foundedYear, company, position, industry);
        var family = Family(id, lastName, birthYear, female, city);
        var interests = id.PickDistinct(DossierVocabulary.Interests, id.Next(4, 7));
        var philanthropy = Philanthropy(id, lastName, foundedYear);
        var breakdown = WealthBreakdown(update, netWorth);
        var residences = Residences(id, country, city);
        var contact = Contact(id, country, city, company, firstName, lastName);

        var biography = Biography(id, fullName, pronoun, possessive, country, industry, company, position, foundedYear, birthYear, city, education, interests, family);
        var notes = ResearchNotes(update, revision, fullName, company, netWorth, breakdown);

        return new Dossier(
            Id: DossierIds.FromIndex(index),
            DossierType: "person",
            DossierCategory: category,
            FirstName: firstName,
            LastName: lastName,
            FullName: fullName,
            NetWorth: netWorth,
            NetWorthCurrency: "USD",
            PrimaryCompany: company,
            Position: position,
            Country: country.Code,
            LastModified: revision.LastModified.ToString("yyyy-MM-dd", Invariant),
            Gender: female ? "Female" : "Male",
            BirthYear: birthYear,
            Nationality: country.Nationality,
            Industry: industry.Name,
            LiquidAssets: liquidAssets,
            WealthSource: wealthSource,
            Biography: biography,
            Education: education,
            Career: career,
            Family: family,
            Interests: interests,
            Philanthropy: philanthropy,
            WealthBreakdown: breakdown,
            Residences: residences,
            Contact: contact,
            ResearchNotes: notes);
    }

    /// <summary>
    /// Mostly UHNW, as in a wealth-intelligence data set, on a log scale from 1 M to 20 B USD; a revision moves
    /// it by up to 15 % either way.
    /// </summary>
    private static long NetWorth(DeterministicRandom id, DeterministicRandom update, int revision)
    {
        var band = id.NextDouble();
        var (low, high) = band < 0.65 ? (30e6, 20e9) : band < 0.92 ? (5e6, 30e6) : (1e6, 5e6);
        var value = low * Math.Pow(high / low, id.NextDouble());
        if (revision > 0)
        {
            value *= 0.85 + (update.NextDouble() * 0.3);
        }

        return RoundTo((long)value, value >= 30e6 ? 1_000_000 : 100_000);
    }

    private static List<DossierEducation> Education(DeterministicRandom id, int birthYear)
    {
        var count = id.Next(1, 4);
        var schools = id.PickDistinct(Universities, count);
        var result = new List<DossierEducation>(count);
        for (var i = 0; i < count; i++)
        {
            result.Add(new DossierEducation(schools[i].Name, id.Pick(Degrees), id.Pick(FieldsOfStudy), birthYear + 22 + (i * 3) + id.Next(0, 2)));
        }

        return result;
    }

    private static List<DossierCareerStep> Career(
        DeterministicRandom id, int birthYear, int foundedYear, string company, string position, IndustryProfile industry)
    {
        var earlier = id.Next(2, 5);
        var employers = id.PickDistinct(EarlierEmployers, earlier);
        var steps = new List<DossierCareerStep>(earlier + 1);
        var year = birthYear + 23;
        var span = Math.Max(earlier, foundedYear - year);
        for (var i = 0; i < earlier; i++)
        {
            var from = year + (span * i / earlier);
            var to = year + (span * (i + 1) / earlier);
            var role = id.Pick(EarlierPositions);
            steps.Add(new DossierCareerStep(
                employers[i],
                role,
                from,
                to,
                $"{role} at {employers[i]}, working on {id.Pick(industry.Focus)} transactions."));
        }

        steps.Add(new DossierCareerStep(
            company,
            position,
            foundedYear,
            null,
            $"Leads {company}, active in {industry.Activity}; oversees strategy, capital allocation and the expansion into {id.Pick(industry.Focus)}."));
        return steps;
    }

    private static DossierFamily Family(DeterministicRandom id, string lastName, int birthYear, bool female, string city)
    {
        var status = id.Pick(MaritalStatuses);
        DossierRelative? spouse = null;
        if (status is "Married" or "Partnered")
        {
            var spouseFirst = id.Pick(female ? MaleFirstNames : FemaleFirstNames);
            spouse = new DossierRelative($"{spouseFirst} {lastName}", birthYear + id.Next(-6, 7), id.Pick(Occupations));
        }

        var childCount = id.Next(0, 4);
        var children = new List<DossierRelative>(childCount);
        for (var i = 0; i < childCount; i++)
        {
            var childFirst = id.Pick(id.Chance(0.5) ? FemaleFirstNames : MaleFirstNames);
            children.Add(new DossierRelative($"{childFirst} {lastName}", birthYear + 26 + (i * 2) + id.Next(0, 2), id.Pick(Occupations)));
        }

        var office = id.Chance(0.6) ? $"{lastName} Family Office, {city}" : null;
        return new DossierFamily(status, spouse, children, office);
    }

    private static List<DossierPhilanthropy> Philanthropy(DeterministicRandom id, string lastName, int foundedYear)
    {
        var count = id.Next(1, 4);
        var organizations = id.PickDistinct(Organizations, count);
        var result = new List<DossierPhilanthropy>(count + 1)
        {
            new($"{lastName} Family Foundation", "Founder", id.Pick(Causes), foundedYear + id.Next(3, 12)),
        };
        for (var i = 0; i < count; i++)
        {
            result.Add(new DossierPhilanthropy(organizations[i], id.Pick(PhilanthropyRoles), id.Pick(Causes), foundedYear + id.Next(0, 10)));
        }

        return result;
    }

    /// <summary>Shares in tenths of a percent that add up to exactly 100.0.</summary>
    private static List<DossierWealthComponent> WealthBreakdown(DeterministicRandom update, long netWorth)
    {
        var classes = update.PickDistinct(AssetClasses, update.Next(4, 7));
        var weights = classes.Select(_ => update.Next(1, 100)).ToArray();
        var totalWeight = weights.Sum();
        var result = new List<DossierWealthComponent>(classes.Count);
        var remaining = 1000;
        for (var i = 0; i < classes.Count; i++)
        {
            var tenths = i == classes.Count - 1 ? remaining : Math.Min(remaining, weights[i] * 1000 / totalWeight);
            remaining -= tenths;
            var share = tenths / 10m;
            result.Add(new DossierWealthComponent(classes[i].Name, share, RoundTo(netWorth * tenths / 1000, 100_000), classes[i].Description));
        }

        return result;
    }

    private static List<DossierResidence> Residences(DeterministicRandom id, CountryProfile home, string city)
    {
        var result = new List<DossierResidence> { new(city, home.Name, "Primary residence") };
        var extra = id.Next(0, 3);
        for (var i = 0; i < extra; i++)
        {
            var place = id.Pick(Countries);
            result.Add(new DossierResidence(id.Pick(place.Cities), place.Name, id.Pick(ResidenceTypes)));
        }

        return result;
    }

    private static DossierContact Contact(
        DeterministicRandom id, CountryProfile country, string city, string company, string firstName, string lastName)
    {
        var domain = new string([.. company.Split(' ')[0].ToLowerInvariant().Where(char.IsAsciiLetter)]);
        var local = new string([.. $"{firstName}.{lastName}".ToLowerInvariant().Where(c => char.IsAsciiLetter(c) || c == '.')]);
        var street = $"{id.Pick(country.Streets)} {id.Next(1, 240).ToString(Invariant)}";
        var postal = id.Next(1000, 99999).ToString("00000", Invariant);
        var office = new DossierAddress(company, street, city, postal, country.Name);
        var phone = Phone(id, country);
        DossierRelative? assistant = id.Chance(0.7)
            ? new DossierRelative($"{id.Pick(FemaleFirstNames)} {id.Pick(LastNames)}", id.Next(1965, 2000), "Executive assistant")
            : null;
        return new DossierContact(office, $"{local}@{domain}.{country.EmailDomain}", phone, assistant, id.Pick(Channels));
    }

    private static string Phone(DeterministicRandom id, CountryProfile country) =>
        string.Create(Invariant, $"{country.PhonePrefix} {id.Next(10, 99)} {id.Next(100, 999)} {id.Next(1000, 9999)}");

    private static string Biography(
        DeterministicRandom id,
        string fullName,
        string pronoun,
        string possessive,
        CountryProfile country,
        IndustryProfile industry,
        string company,
        string position,
        int foundedYear,
        int birthYear,
        string city,
        List<DossierEducation> education,
        IReadOnlyList<string> interests,
        DossierFamily family)
    {
        var text = new StringBuilder(1600);
        var lower = pronoun.ToLowerInvariant();
        var school = education[0];
        var employees = id.Next(2, 400) * 100;
        var markets = id.Next(3, 40);
        var stake = id.Next(12, 91);
        text.Append(Invariant, $"{fullName} is {Article(country.Nationality)} {country.Nationality} business leader and the {position} of {company}, a group active in {industry.Activity} that {(id.Chance(0.5) ? "was founded" : "was taken over")} in {foundedYear}. ");
        text.Append(Invariant, $"Born in {birthYear} and raised in {id.Pick(country.Cities)}, {lower} studied {school.FieldOfStudy} at {school.Institution}, graduating in {school.GraduationYear}. ");
        text.Append(Invariant, $"Over the following decades {lower} built {company} into a business with operations in {markets} markets and roughly {employees.ToString("N0", Invariant)} employees, ");
        var focus = id.PickDistinct(industry.Focus, 2);
        text.Append(Invariant, $"with a growing presence in {focus[0]} and {focus[1]}. ");
        text.Append(Invariant, $"{pronoun} holds an estimated {stake}% of the company directly and through family holding structures, which accounts for most of {possessive} wealth. ");
        text.Append(Invariant, $"Peers describe {possessive} style as {string.Join(" and ", id.PickDistinct(Adjectives, 2))}; {lower} has sat on the boards of {id.Pick(EarlierEmployers)} and several industry associations. ");
        var causes = id.PickDistinct(Causes, 2);
        text.Append(Invariant, $"Outside business, {lower} supports {causes[0]} and {causes[1]}, and is known for an interest in {interests[0].ToLowerInvariant()} and {interests[1].ToLowerInvariant()}. ");
        text.Append(Invariant, $"{pronoun} is {family.MaritalStatus.ToLowerInvariant()} with {family.Children.Count} {(family.Children.Count == 1 ? "child" : "children")} and divides {possessive} time between {city} and {id.Pick(Countries).Cities[0]}.");
        return text.ToString();
    }

    private static string ResearchNotes(
        DeterministicRandom update, DossierRevision revision, string fullName, string company, long netWorth, IReadOnlyList<DossierWealthComponent> breakdown)
    {
        var largest = breakdown.MaxBy(component => component.SharePercent)!;
        var millions = (netWorth / 1_000_000m).ToString("N0", Invariant);
        var reason = revision.Number == 0 ? "the initial profile compiled from public filings and press coverage" : update.Pick(UpdateReasons);
        return string.Create(
            Invariant,
            $"Estimate of USD {millions} million as of {revision.LastModified:yyyy-MM-dd}, reflecting {reason}. "
            + $"The largest component is {largest.AssetClass.ToLowerInvariant()} at {largest.SharePercent}% of net worth. "
            + $"Figures for {fullName} are based on the valuation of {company} at comparable-company multiples and may differ from self-reported numbers.");
    }

    private static string Article(string word) => "AEIOU".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static long RoundTo(long value, long unit) => (value + (unit / 2)) / unit * unit;
}
