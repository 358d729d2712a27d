package dev.gantry.core.junit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads JUnit XML as Surefire/Failsafe, Gradle, pytest (xunit1 and xunit2), go-junit-report and jest-junit write it:
 * {@code testsuites} or a bare {@code testsuite}, nested suites, {@code testcase} with {@code classname},
 * {@code name}, {@code time} and optionally {@code file}, and {@code failure}/{@code error}/{@code skipped}
 * children. DOCTYPEs are refused, so a report cannot read other files.
 */
public final class JUnitReports {

    /** A report that cannot be read; the message names the file. */
    public static final class MalformedReportException extends Exception {
        public MalformedReportException(String file, String problem) {
            super(file + ": " + problem);
        }
    }

    private JUnitReports() {
    }

    public static List<TestCase> parse(String file, byte[] xml) throws MalformedReportException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new MalformedReportException(file, "not valid XML: " + e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new MalformedReportException(file, "cannot be read: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("testsuites") && !root.getTagName().equals("testsuite")) {
            throw new MalformedReportException(file, "not a JUnit report: the root element is <" + root.getTagName()
                    + ">, expected <testsuites> or <testsuite>");
        }
        List<TestCase> cases = new ArrayList<>();
        collect(root, attr(root, "name"), attr(root, "file"), cases, file);
        return cases;
    }

    private static void collect(Element el, String suite, String suiteFile, List<TestCase> out, String file)
            throws MalformedReportException {
        NodeList children = el.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (!(n instanceof Element child)) {
                continue;
            }
            switch (child.getTagName()) {
                case "testsuite", "testsuites" -> collect(child, orElse(attr(child, "name"), suite),
                        orElse(attr(child, "file"), suiteFile), out, file);
                case "testcase" -> out.add(testCase(child, suite, suiteFile, file));
                default -> { }
            }
        }
    }

    private static TestCase testCase(Element tc, String suite, String suiteFile, String file)
            throws MalformedReportException {
        String name = attr(tc, "name");
        if (name == null) {
            throw new MalformedReportException(file, "a <testcase> has no name");
        }
        double seconds;
        try {
            String t = attr(tc, "time");
            seconds = t == null || t.isBlank() ? 0 : Double.parseDouble(t.replace(",", ""));
        } catch (NumberFormatException e) {
            throw new MalformedReportException(file, "test '" + name + "' has a bad time '" + attr(tc, "time") + "'");
        }
        TestCase.Status status = TestCase.Status.PASSED;
        String message = null;
        for (String tag : new String[] {"failure", "error", "skipped"}) {
            NodeList l = tc.getElementsByTagName(tag);
            if (l.getLength() > 0) {
                Element e = (Element) l.item(0);
                status = switch (tag) {
                    case "failure" -> TestCase.Status.FAILED;
                    case "error" -> TestCase.Status.ERROR;
                    default -> TestCase.Status.SKIPPED;
                };
                message = orElse(attr(e, "message"), firstLine(e.getTextContent()));
                break;
            }
        }
        return new TestCase(suite, attr(tc, "classname"), name, orElse(attr(tc, "file"), suiteFile), seconds, status,
                status == TestCase.Status.SKIPPED ? null : message);
    }

    private static String attr(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    private static String orElse(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static String firstLine(String text) {
        return text == null ? null : text.strip().lines().findFirst().orElse(null);
    }
}
