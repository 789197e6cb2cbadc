package dev.nightshift.pipeline.ground;

import dev.nightshift.pipeline.core.SentenceCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check on structured sources (issue 21): table rows, the document's name, versions per entry, exact names. */
class StructureTest {
    static final String CSV = """
            version,codename,series,created,release,eol
            9,Stretch,stretch,2015-04-26,2017-06-17,2020-07-18
            10,Buster,buster,2017-06-17,2019-07-06,2022-09-10
            11,Bullseye,bullseye,2019-07-06,2021-08-14,2024-08-14
            """;

    static final String SHEET = """
            Feuil1
            \tSample Excel Worksheet - Numbers and their Squares
            \t\tNumber\tSquare
            \t\t12\t144
            \t\t13\t169
            \t\t14\t196
            """;

    static final String CHANGELOG = """
            dash (0.5.10.2-7) unstable; urgency=medium

              * Use debhelper-compat instead of debian/compat.
              * Disable libc glob support.

             -- Andrej Shadura <andrewsh@debian.org>  Mon, 30 Mar 2020 11:45:13 +0200

            dash (0.5.10.2-6) unstable; urgency=medium

              * Enable hardening for helpers.
              * Call ffi_prep_cif and check for FFI_BAD_TYPEDEF; logs go to /var/log/postgresql.
            """;

    private final GroundingCheck check = new GroundingCheck();

    private SentenceCheck one(String claim, SourceText source) {
        List<SentenceCheck> s = check.check(claim, source, GroundingCheck.Mode.ALIGN).sentences();
        assertEquals(1, s.size(), s.toString());
        return s.get(0);
    }

    @Test
    void tableRowsAreSentencesWithTheirHeader() {
        List<Tables.Block> blocks = Tables.blocks(CSV, new Span(0, CSV.length()));
        assertEquals(1, blocks.stream().filter(b -> !b.rows().isEmpty()).count());
        assertEquals(4, blocks.stream().filter(b -> !b.rows().isEmpty()).findFirst().orElseThrow().rows().size());
        SourceText s = SourceText.of(SHEET);
        int rows = 0;
        for (int i = 0; i < s.sentences.size(); i++) if (s.table(i) >= 0 && s.header(i) >= 0) rows++;
        assertEquals(3, rows, "three data rows under one header");
        // Prose with commas is no table.
        String prose = "We met Anna, Ben, and Carla.\nThen Dora, Emil, and Fritz came.\nLater, much later, Gus.\n";
        assertTrue(Tables.blocks(prose, new Span(0, prose.length())).stream().allMatch(b -> b.rows().isEmpty()));
    }

    @Test
    void valuesOfTwoRowsDoNotSupportEachOther() {
        SourceText csv = SourceText.of(CSV, "debian.csv");
        assertTrue(one("Debian 10, code-named Buster, was released on 2019-07-06.", csv).supported());
        SentenceCheck paired = one("Debian 10 was code-named Stretch.", csv);
        assertFalse(paired.supported());
        assertTrue(paired.flags().stream().anyMatch(f -> f.startsWith("row:")), paired.flags().toString());
        assertFalse(one("Stretch was released on 2019-07-06.", csv).supported());

        SourceText sheet = SourceText.of(SHEET);
        assertTrue(one("The square of 13 is 169.", sheet).supported());
        assertFalse(one("The square of 13 is 196.", sheet).supported());
        assertTrue(one("The worksheet lists numbers from 12 to 14 with their squares.", sheet).supported(), "the ends of a range");
    }

    @Test
    void theDocumentsNameCountsAsSource() {
        assertFalse(one("Debian 11 is called Bullseye.", SourceText.of(CSV)).supported(), "no word says Debian");
        assertTrue(one("Debian 11 is called Bullseye.", SourceText.of(CSV, "debian.csv")).supported());
    }

    @Test
    void aVersionBelongsToItsEntry() {
        SourceText log = SourceText.of(CHANGELOG);
        assertTrue(one("dash 0.5.10.2-7 uses debhelper-compat instead of debian/compat.", log).supported());
        SentenceCheck wrong = one("dash 0.5.10.2-6 uses debhelper-compat instead of debian/compat.", log);
        assertFalse(wrong.supported());
        assertTrue(wrong.flags().contains("version:0.5.10.2-6"), wrong.flags().toString());
    }

    @Test
    void theOppositeWordIsAFlag() {
        SourceText log = SourceText.of(CHANGELOG);
        SentenceCheck c = one("dash 0.5.10.2-7 enabled libc glob support.", log);
        assertFalse(c.supported());
        assertTrue(c.flags().stream().anyMatch(f -> f.startsWith("negation:")), c.flags().toString());
    }

    @Test
    void namesAreFoundWholeAndPathsAsWritten() {
        SourceText log = SourceText.of(CHANGELOG);
        assertTrue(one("Call ffi_prep_cif and check for FFI_BAD_TYPEDEF.", log).supported());
        assertFalse(one("Call ffi_prep_cif and check for FFI_BAD_TYPE.", log).supported(), "a prefix of a longer name");
        assertTrue(one("Logs go to /var/log/postgresql.", log).supported());
        assertFalse(one("Logs go to /var/lib/postgresql.", log).supported());
        SourceText tun = SourceText.of("It uses the OpenSSH ProxyCommand in combination with the nc(1) program. Zones: Africa/Ceuta and Atlantic/Canary.");
        assertTrue(one("It uses ProxyCommand with the nc(1) program.", tun).supported());
        assertFalse(one("It uses ProxyCommand with the socat(1) program.", tun).supported(), "a manual page is a name");
        assertFalse(one("The zones are Africa/Melilla and Atlantic/Canary.", tun).supported(), "a zone name is a name");
        assertTrue(Identifiers.holdsWhole("use --with-libyaml", "--with-libyaml"));
        assertFalse(Identifiers.holdsWhole("use --with-libyaml", "--with"));
    }

    @Test
    void anAcronymStandsForItsWords() {
        String table = "codename,release,eol\nBuzz,1996-06-17,1997-06-05\nRex,1996-12-12,1998-06-05\nBo,1997-06-05,1999-03-09\n";
        assertTrue(one("Rex reached its end of life on 1998-06-05.", SourceText.of(table)).supported());
    }

    @Test
    void aSubjectTheSourceNeverNamesIsAFlagWhereSupportIsLoose() {
        SourceText copyright = SourceText.of("""
                Files: *
                Copyright: 1985-2023 Free Software Foundation, Inc.
                License: GPL-3+
                 This program is free software: you can redistribute it and/or modify it under the terms of the
                 GNU General Public License as published by the Free Software Foundation.

                Files: lib/sha256.c
                License: MIT
                 Permission is hereby granted, free of charge, to any person obtaining a copy of this software, to
                 deal in the software without restriction, and distribute it under the same license.
                """, "copyright");
        SentenceCheck curl = one("The curl library is distributed under the MIT license.", copyright);
        assertFalse(curl.supported());
        assertTrue(curl.flags().contains("subject:curl"), curl.flags().toString());
        assertTrue(one("The program is distributed under the GNU General Public License.", copyright).supported());
    }

    @Test
    void aKeyedListIsATable() {
        SourceText codes = SourceText.of("""
                Exit status codes:
                  0 - action allowed
                  1 - unknown action (therefore, undefined policy)
                 101 - action forbidden by policy
                 102 - subsystem error
                 103 - syntax error
                """);
        assertTrue(one("Exit status 103 means a syntax error.", codes).supported());
        assertFalse(one("Exit status 102 means a syntax error.", codes).supported());
        SourceText links = SourceText.of("""
                Install some of these links:
                	lzma, unlzma, lzcat -> /usr/bin/xz
                	lzgrep, lzegrep, lzfgrep -> /usr/bin/xzgrep
                	lzdiff, lzcmp -> /usr/bin/xzdiff
                """);
        assertTrue(one("lzdiff is a link to /usr/bin/xzdiff.", links).supported());
        assertFalse(one("lzdiff is a link to /usr/bin/xzgrep.", links).supported());
    }
}
