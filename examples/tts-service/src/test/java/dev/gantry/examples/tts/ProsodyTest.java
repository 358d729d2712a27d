package dev.gantry.examples.tts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProsodyTest {

    @ParameterizedTest
    @EnumSource(Emotion.class)
    void zeroIntensityIsTheNeutralVoice(Emotion e) {
        assertThat(Prosody.of(e, 0, 1)).isEqualTo(Prosody.NEUTRAL);
    }

    @Test
    void happyIsHigherAndFasterThanNeutralAndSadIsLowerSlowerAndQuieter() {
        Prosody happy = Prosody.of(Emotion.HAPPY, 1, 1);
        Prosody sad = Prosody.of(Emotion.SAD, 1, 1);
        Prosody n = Prosody.NEUTRAL;
        assertThat(happy.pitchHz()).isGreaterThan(n.pitchHz());
        assertThat(happy.pitchRange()).isGreaterThan(n.pitchRange());
        assertThat(happy.rateWpm()).isGreaterThan(n.rateWpm());
        assertThat(sad.pitchHz()).isLessThan(n.pitchHz());
        assertThat(sad.rateWpm()).isLessThan(n.rateWpm());
        assertThat(sad.volume()).isLessThan(n.volume());
    }

    @Test
    void angryIsLouderThanNeutralButNeverAboveFullVolume() {
        assertThat(Prosody.of(Emotion.ANGRY, 1, 1).volume()).isGreaterThan(Prosody.NEUTRAL.volume()).isLessThanOrEqualTo(1.0);
    }

    @Test
    void intensityScalesTheChangeAndIsClamped() {
        double half = Prosody.of(Emotion.HAPPY, 0.5, 1).pitchHz();
        double full = Prosody.of(Emotion.HAPPY, 1, 1).pitchHz();
        assertThat(half).isBetween(Prosody.NEUTRAL.pitchHz(), full);
        assertThat(Prosody.of(Emotion.HAPPY, 7, 1)).isEqualTo(Prosody.of(Emotion.HAPPY, 1, 1));
    }

    @Test
    void speedMultipliesTheRateOnly() {
        Prosody fast = Prosody.of(Emotion.SAD, 0.5, 2);
        Prosody normal = Prosody.of(Emotion.SAD, 0.5, 1);
        assertThat(fast.rateWpm()).isEqualTo(normal.rateWpm() * 2);
        assertThat(fast.pitchHz()).isEqualTo(normal.pitchHz());
    }

    @Test
    void aSpeakerMovesThePitchAndNothingElse() {
        Prosody happy = Prosody.of(Emotion.HAPPY, 1, 1);
        Prosody ava = happy.spokenBy(Speaker.AVA);
        assertThat(ava.pitchHz()).isGreaterThan(happy.pitchHz() * 1.3);
        assertThat(happy.spokenBy(Speaker.MORGAN).pitchHz()).isLessThan(happy.pitchHz());
        assertThat(ava.rateWpm()).isEqualTo(happy.rateWpm());
        assertThat(happy.spokenBy(Speaker.KEVIN)).isEqualTo(happy);
    }
}
