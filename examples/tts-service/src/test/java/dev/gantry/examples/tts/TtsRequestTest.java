package dev.gantry.examples.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TtsRequestTest {

    @Test
    void parsesAFullRequest() throws Exception {
        TtsRequest r = TtsRequest.parse("{\"text\":\" Hello there \",\"emotion\":\"Happy\",\"intensity\":0.8,\"speed\":1.5}");
        assertThat(r).isEqualTo(new TtsRequest("Hello there", Emotion.HAPPY, 0.8, 1.5));
    }

    @Test
    void defaultsToNeutralAtHalfIntensityAndNormalSpeed() throws Exception {
        assertThat(TtsRequest.parse("{\"text\":\"Hi\"}")).isEqualTo(new TtsRequest("Hi", Emotion.NEUTRAL, 0.5, 1.0));
    }

    @Test
    void aSpeakerNamesOneOfTheVoices() throws Exception {
        assertThat(TtsRequest.parse("{\"text\":\"Hi\",\"speaker\":\"Ava\"}").speaker()).isEqualTo(Speaker.AVA);
        assertThat(TtsRequest.parse("{\"text\":\"Hi\"}").speaker()).isEqualTo(Speaker.KEVIN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"text\":\"\"}|'text' must be a non-empty string",
        "{\"text\":\"   \"}|'text' must be a non-empty string",
        "{\"emotion\":\"sad\"}|'text' must be a non-empty string",
        "{\"text\":42}|'text' must be a non-empty string",
        "{\"text\":\"hi\",\"emotion\":\"bored\"}|unknown emotion 'bored'; use one of neutral, happy, sad, angry",
        "{\"text\":\"hi\",\"intensity\":1.5}|'intensity' is 1.5; it must be between 0.0 and 1.0",
        "{\"text\":\"hi\",\"intensity\":\"high\"}|'intensity' must be a number between 0.0 and 1.0",
        "{\"text\":\"hi\",\"speed\":3}|'speed' is 3.0; it must be between 0.5 and 2.0",
        "{\"text\":\"hi\",\"speaker\":\"bob\"}|unknown speaker 'bob'; use one of kevin, ava, morgan",
        "{\"text\":\"hi\",\"voice\":\"x\"}|unknown field 'voice'; fields: text, emotion, intensity, speed",
        "[1,2]|expected a JSON object",
        "{\"text\": \"hi\"|malformed JSON",
        "not json|malformed JSON",
    })
    void rejectsBadInputWithAMessageForTheClient(String body, String message) {
        assertThatThrownBy(() -> TtsRequest.parse(body)).isInstanceOf(TtsRequest.BadRequest.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void rejectsOverLongText() {
        String text = "a".repeat(TtsRequest.MAX_TEXT + 1);
        assertThatThrownBy(() -> TtsRequest.parse("{\"text\":\"" + text + "\"}"))
                .hasMessage("'text' is 1001 characters; the limit is 1000");
    }

    @Test
    void emotionNamesAreCaseInsensitive() {
        assertThat(Emotion.parse("ANGRY")).contains(Emotion.ANGRY);
        assertThat(Emotion.parse("furious")).isEmpty();
    }
}
